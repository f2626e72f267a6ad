package io.ipsecd.ike.auth;

import io.ipsecd.conf.IdKind;
import io.ipsecd.conf.Identity;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a peer's IKE identity is named by its certificate: FQDN, IP and e-mail identities
 * against the subjectAltName (RFC 7296 §3.5 leaves the match to policy; like strongSwan we do
 * not fall back to the subject's CN), a DN identity against the subject DN.
 */
public final class IdentityMatcher {
    /** GeneralName tags (RFC 5280 §4.2.1.6) as returned by getSubjectAlternativeNames. */
    private static final int RFC822_NAME = 1;
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private IdentityMatcher() {
    }

    /** Empty when the identity matches, else the admin-facing reason. */
    public static Optional<String> mismatch(Identity peerId, X509Certificate cert) {
        if (peerId.kind() == IdKind.KEY_ID) {
            return Optional.of("peer identity " + peerId + " is a key ID, which a certificate cannot name; "
                    + "configure the peer's id as its FQDN, IP address, e-mail or DN (as in certificate "
                    + CertText.subject(cert) + ")");
        }
        List<List<?>> sans = subjectAltNames(cert);
        boolean matches = switch (peerId.kind()) {
            case FQDN -> sans.stream().anyMatch(san -> tag(san) == DNS_NAME && sameFqdn(value(san), peerId.value()));
            case RFC822_ADDR -> sans.stream().anyMatch(san -> tag(san) == RFC822_NAME && value(san).equalsIgnoreCase(peerId.value()));
            case IPV4_ADDR, IPV6_ADDR -> sans.stream().anyMatch(san -> tag(san) == IP_ADDRESS && sameAddress(value(san), peerId.value()));
            case DER_ASN1_DN -> sameDn(peerId.value(), cert.getSubjectX500Principal());
            case KEY_ID -> false;
        };
        if (matches) return Optional.empty();
        String where = peerId.kind() == IdKind.DER_ASN1_DN
                ? "subject DN: " + CertText.subject(cert)
                : "subjectAltName: " + describe(sans);
        return Optional.of("peer identity " + peerId + " does not match certificate " + CertText.subject(cert)
                + " (" + where + "); check the id configured for this peer, or the names in the peer's certificate");
    }

    /** "DNS gw.example.com, IP 192.0.2.2, email gw@example.com", or "none". */
    static String describe(List<List<?>> sans) {
        List<String> parts = new ArrayList<>();
        for (List<?> san : sans) {
            switch (tag(san)) {
                case DNS_NAME -> parts.add("DNS " + value(san));
                case IP_ADDRESS -> parts.add("IP " + InetAddress.ofLiteral(value(san)).getHostAddress());
                case RFC822_NAME -> parts.add("email " + value(san));
                default -> { } // other name forms cannot match an IKE identity
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    static List<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            return names == null ? List.of() : List.copyOf(names);
        } catch (CertificateParsingException e) {
            return List.of(); // a malformed extension names nobody
        }
    }

    private static int tag(List<?> san) {
        return (Integer) san.get(0);
    }

    private static String value(List<?> san) {
        return san.get(1) instanceof String s ? s : "";
    }

    private static boolean sameFqdn(String a, String b) {
        return stripDot(a).equalsIgnoreCase(stripDot(b));
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean sameAddress(String sanText, String idText) {
        try {
            return InetAddress.ofLiteral(sanText).equals(InetAddress.ofLiteral(idText));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean sameDn(String idText, X500Principal subject) {
        return DistinguishedNames.matches(idText, subject);
    }
}
