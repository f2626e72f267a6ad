package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/** Recognises the kind of an identity string and checks that it is well formed. */
final class IdentityParser {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern HEX = Pattern.compile("([0-9A-Fa-f]{2})+");
    private static final Map<String, String> EXTRA_DN_KEYWORDS = Map.of(
            "E", "1.2.840.113549.1.9.1", "EMAIL", "1.2.840.113549.1.9.1", "EMAILADDRESS", "1.2.840.113549.1.9.1",
            "SERIALNUMBER", "2.5.4.5", "SN", "2.5.4.4", "G", "2.5.4.42", "T", "2.5.4.12");

    private IdentityParser() {}

    static Outcome<Identity> parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) return Outcome.err("expected an identity (IP address, FQDN, user@fqdn, DN or keyid:hex), found an empty string");
        if (t.regionMatches(true, 0, "keyid:", 0, 6)) {
            String hex = t.substring(6);
            if (!HEX.matcher(hex).matches()) {
                return Outcome.err("expected keyid: followed by an even number of hex digits, found '" + t + "'");
            }
            return Outcome.ok(new Identity(IdKind.KEY_ID, hex.toLowerCase(Locale.ROOT)));
        }
        Optional<InetAddress> ip = Addresses.parse(t);
        if (ip.isPresent()) {
            return Outcome.ok(new Identity(Addresses.isV6(ip.get()) ? IdKind.IPV6_ADDR : IdKind.IPV4_ADDR, t));
        }
        if (t.contains("=")) {
            try {
                new X500Principal(t, EXTRA_DN_KEYWORDS);
                return Outcome.ok(new Identity(IdKind.DER_ASN1_DN, t));
            } catch (IllegalArgumentException e) {
                return Outcome.err("expected a distinguished name like 'C=US, O=Example, CN=gw', found '" + t + "'");
            }
        }
        if (t.startsWith("@") && t.indexOf('@', 1) < 0) {
            String fqdn = t.substring(1);
            return isFqdn(fqdn) ? Outcome.ok(new Identity(IdKind.FQDN, fqdn)) : badFqdn(t);
        }
        int at = t.indexOf('@');
        if (at >= 0) {
            String user = t.substring(0, at);
            String domain = t.substring(at + 1);
            if (user.isEmpty() || user.contains(" ") || !isFqdn(domain)) {
                return Outcome.err("expected an e-mail style identity user@fqdn, found '" + t + "'");
            }
            return Outcome.ok(new Identity(IdKind.RFC822_ADDR, t));
        }
        return isFqdn(t) ? Outcome.ok(new Identity(IdKind.FQDN, t)) : badFqdn(t);
    }

    private static Outcome<Identity> badFqdn(String t) {
        return Outcome.err("expected an identity (IP address, FQDN, user@fqdn, DN or keyid:hex), found '" + t + "'");
    }

    static boolean isFqdn(String s) {
        String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (name.isEmpty() || name.length() > 253) return false;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return true;
    }
}
