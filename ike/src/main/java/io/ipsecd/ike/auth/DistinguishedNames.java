package io.ipsecd.ike.auth;

import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * DN identities as strongSwan writes and sends them. strongSwan reads "C=CH, O=Example, CN=gw"
 * in the order written: C is the first RDN of the DER, as in the certificates its pki tool and
 * OpenSSL's {@code -subj /C=CH/O=Example/CN=gw} make. The JDK's X500Principal reads the same text
 * the other way round (RFC 4514: most specific first). We encode in strongSwan's order, and
 * compare DNs in either order, so an admin may write a DN either way.
 */
public final class DistinguishedNames {
    /** The DN keywords the config parser accepts beyond the JDK's own (E=, SN=, ...). */
    static final Map<String, String> EXTRA_KEYWORDS = Map.of(
            "E", "1.2.840.113549.1.9.1", "EMAIL", "1.2.840.113549.1.9.1", "EMAILADDRESS", "1.2.840.113549.1.9.1",
            "SERIALNUMBER", "2.5.4.5", "SN", "2.5.4.4", "G", "2.5.4.42", "T", "2.5.4.12");

    private DistinguishedNames() {
    }

    /** The DER of a configured DN, its RDNs in the order written (strongSwan's). */
    public static byte[] encode(String text) {
        return reversed(new X500Principal(text, EXTRA_KEYWORDS).getEncoded());
    }

    /** Whether {@code actual} (a received ID or a certificate subject) is the configured DN, read in either order. */
    public static boolean matches(String configured, X500Principal actual) {
        try {
            X500Principal rfc4514 = new X500Principal(configured, EXTRA_KEYWORDS);
            return rfc4514.equals(actual) || new X500Principal(reversed(rfc4514.getEncoded())).equals(actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The DN as strongSwan prints it, RDNs in DER order: "C=CH, O=Example, CN=gw"; empty if it does not parse. */
    public static Optional<String> text(byte[] der) {
        try {
            RDN[] rdns = X500Name.getInstance(der).getRDNs();
            StringBuilder sb = new StringBuilder();
            for (RDN rdn : rdns) {
                if (!sb.isEmpty()) sb.append(", ");
                sb.append(new X500Name(new RDN[] {rdn}));
            }
            return Optional.of(sb.toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] reversed(byte[] der) {
        RDN[] rdns = X500Name.getInstance(der).getRDNs();
        RDN[] out = new RDN[rdns.length];
        for (int i = 0; i < rdns.length; i++) out[i] = rdns[rdns.length - 1 - i];
        try {
            return new X500Name(out).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("re-encoding a parsed DN", e);
        }
    }
}
