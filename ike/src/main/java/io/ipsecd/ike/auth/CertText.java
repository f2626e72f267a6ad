package io.ipsecd.ike.auth;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/** How certificates and dates appear in admin-facing messages. */
final class CertText {
    private CertText() {
    }

    static String name(X500Principal principal) {
        return principal.getName(X500Principal.RFC2253);
    }

    static String subject(X509Certificate cert) {
        return name(cert.getSubjectX500Principal());
    }

    static String issuer(X509Certificate cert) {
        return name(cert.getIssuerX500Principal());
    }

    static String date(Date date) {
        return date.toInstant().toString();
    }

    static String date(Instant instant) {
        return instant.toString();
    }

    static String validity(X509Certificate cert) {
        return "valid from " + date(cert.getNotBefore()) + " to " + date(cert.getNotAfter());
    }

    /** "CN=Root CA; CN=Other CA", or "empty" — what the trust store holds. */
    static String subjects(List<X509Certificate> certs) {
        if (certs.isEmpty()) return "empty";
        return certs.stream().map(CertText::subject).collect(Collectors.joining("; "));
    }
}
