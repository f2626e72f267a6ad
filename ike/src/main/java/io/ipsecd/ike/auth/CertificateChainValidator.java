package io.ipsecd.ike.auth;

import io.ipsecd.conf.Identity;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a peer's certificate chain against one connection's trust store ({@code cacerts})
 * and CRLs, and matches the peer's IKE identity to its certificate.
 *
 * <p>The chain is built here rather than by the JDK's CertPathBuilder so that a refusal can say
 * which link is missing ("the peer must send it") or untrusted. Dates, basic constraints, key
 * usage and revocation are also checked here, one certificate at a time, for the same reason;
 * the JDK's PKIX validator then runs over the built chain as a backstop (signatures, critical
 * extensions, name constraints, policies).
 */
public final class CertificateChainValidator {
    /** KeyUsage bit positions (RFC 5280 §4.2.1.3). */
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private final List<X509Certificate> trustStore;
    private final List<X509CRL> crls;
    private final Optional<CrlFetcher> crlFetcher;
    private final Clock clock;

    /**
     * @param trustStore the connection's CA certificates ({@code cacerts})
     * @param crls       CRLs loaded from files; a certificate whose issuer has no CRL here is not checked
     * @param clock      the validation time
     */
    public CertificateChainValidator(List<X509Certificate> trustStore, List<X509CRL> crls, Clock clock) {
        this(trustStore, crls, Optional.empty(), clock);
    }

    /**
     * @param crlFetcher present when {@code crl_fetch} is on: each certificate naming an http:// CRL
     *                   distribution point is also checked against that CRL, and refused when it
     *                   cannot be had (revocation unknown, fail closed)
     */
    public CertificateChainValidator(List<X509Certificate> trustStore, List<X509CRL> crls, Optional<CrlFetcher> crlFetcher,
                                     Clock clock) {
        this.trustStore = List.copyOf(trustStore);
        this.crls = List.copyOf(crls);
        this.crlFetcher = crlFetcher;
        this.clock = clock;
    }

    /**
     * @param endEntity     the peer's certificate (the first CERT payload)
     * @param intermediates the other certificates the peer sent, in any order
     * @param peerId        the identity the peer claimed in its ID payload
     */
    public ChainVerdict validate(X509Certificate endEntity, List<X509Certificate> intermediates, Identity peerId) {
        Instant now = clock.instant();
        ChainBuild build = buildChain(endEntity, intermediates);
        if (build instanceof ChainBuild.Broken(String message)) return new ChainVerdict.Invalid(message);
        List<X509Certificate> chain = ((ChainBuild.Built) build).chain();
        Optional<String> problem = checkDates(chain, now)
                .or(() -> checkCaConstraints(chain))
                .or(() -> checkEndEntityKeyUsage(endEntity))
                .or(() -> runPkix(chain, now))
                .or(() -> checkRevocation(chain, now))
                .or(() -> IdentityMatcher.mismatch(peerId, endEntity));
        return problem.<ChainVerdict>map(ChainVerdict.Invalid::new).orElseGet(() -> new ChainVerdict.Valid(chain));
    }

    private sealed interface ChainBuild {
        record Built(List<X509Certificate> chain) implements ChainBuild {
        }

        record Broken(String message) implements ChainBuild {
        }
    }

    /** End entity first, ending with the first trust-store certificate reached. */
    private ChainBuild buildChain(X509Certificate endEntity, List<X509Certificate> intermediates) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(endEntity);
        X509Certificate current = endEntity;
        // each step adds a distinct sent certificate, so the loop ends after at most intermediates + 1 steps
        for (int step = 0; step <= intermediates.size(); step++) {
            Optional<X509Certificate> anchor = issuerAmong(current, trustStore);
            if (anchor.isPresent()) {
                if (!anchor.get().equals(current)) chain.add(anchor.get());
                return new ChainBuild.Built(chain);
            }
            X509Certificate link = current;
            if (trustStore.stream().anyMatch(ca -> ca.getSubjectX500Principal().equals(link.getIssuerX500Principal()))) {
                return new ChainBuild.Broken("certificate " + CertText.subject(current) + " is not issued by a trusted CA: "
                        + "its issuer is named " + CertText.issuer(current) + " like a CA in the trust store, but its "
                        + "signature does not verify with that CA's key (cacerts: " + CertText.subjects(trustStore)
                        + "); a different CA with the same name issued it — check which CA the peer's certificate comes from");
            }
            if (isSelfSigned(current)) {
                return new ChainBuild.Broken("certificate " + CertText.subject(endEntity) + " is not issued by a trusted CA: "
                        + "its chain ends at root " + CertText.subject(current) + ", which is not in the trust store (cacerts: "
                        + CertText.subjects(trustStore) + "); add that CA to cacerts if it is to be trusted, "
                        + "or give the peer a certificate from a trusted CA");
            }
            List<X509Certificate> unused = intermediates.stream().filter(c -> !chain.contains(c)).toList();
            Optional<X509Certificate> next = issuerAmong(current, unused);
            if (next.isEmpty()) {
                return new ChainBuild.Broken("chain incomplete: no certificate for issuer " + CertText.issuer(current)
                        + " of certificate " + CertText.subject(current) + " (the peer sent " + sentText(intermediates)
                        + "; cacerts: " + CertText.subjects(trustStore) + "); if " + CertText.issuer(current)
                        + " is an intermediate CA the peer must send it, or add it to cacerts; otherwise the peer's "
                        + "certificate is not from a trusted CA");
            }
            chain.add(next.get());
            current = next.get();
        }
        return new ChainBuild.Broken("certificate " + CertText.subject(endEntity) + " is not issued by a trusted CA: "
                + "the certificates the peer sent (" + sentText(intermediates) + ") lead to no CA in the trust store (cacerts: "
                + CertText.subjects(trustStore) + ")");
    }

    private boolean isTrusted(X509Certificate cert) {
        return trustStore.contains(cert);
    }

    private static String sentText(List<X509Certificate> intermediates) {
        return intermediates.isEmpty() ? "no intermediates" : "intermediates " + CertText.subjects(intermediates);
    }

    /** The candidate whose subject names the certificate's issuer and whose key verifies its signature. */
    private static Optional<X509Certificate> issuerAmong(X509Certificate cert, List<X509Certificate> candidates) {
        return candidates.stream()
                .filter(c -> c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
                .filter(c -> signedBy(cert, c))
                .findFirst();
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isSelfSigned(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, cert);
    }

    private Optional<String> checkDates(List<X509Certificate> chain, Instant now) {
        for (X509Certificate cert : chain) {
            String fix = cert == chain.getFirst() ? "renew it on the peer"
                    : isTrusted(cert) ? "replace it in cacerts" : "the peer must send a current one";
            if (now.isAfter(cert.getNotAfter().toInstant())) {
                return Optional.of("certificate " + CertText.subject(cert) + " expired on " + CertText.date(cert.getNotAfter())
                        + " (" + CertText.validity(cert) + "; now " + CertText.date(now) + "); " + fix);
            }
            if (now.isBefore(cert.getNotBefore().toInstant())) {
                return Optional.of("certificate " + CertText.subject(cert) + " is not valid yet (" + CertText.validity(cert)
                        + "; now " + CertText.date(now) + "); check this host's clock, or " + fix);
            }
        }
        return Optional.empty();
    }

    /** Every issuer in the chain must be a CA allowed to sign certificates, within its path length. */
    private static Optional<String> checkCaConstraints(List<X509Certificate> chain) {
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate ca = chain.get(i);
            int pathLen = ca.getBasicConstraints();
            if (pathLen < 0) {
                return Optional.of("certificate " + CertText.subject(ca) + " signed " + CertText.subject(chain.get(i - 1))
                        + " but is not a CA (basicConstraints CA flag missing); check the chain the peer sends and cacerts");
            }
            int intermediatesBelow = i - 1;
            if (intermediatesBelow > pathLen) {
                return Optional.of("CA certificate " + CertText.subject(ca) + " allows " + pathLen
                        + " intermediate CA(s) below it (basicConstraints pathLen) but the chain has " + intermediatesBelow);
            }
            boolean[] usage = ca.getKeyUsage();
            if (usage != null && !usage[KEY_CERT_SIGN]) {
                return Optional.of("CA certificate " + CertText.subject(ca) + " lacks keyCertSign in its key usage, "
                        + "so it may not sign certificate " + CertText.subject(chain.get(i - 1)) + "; the CA must be reissued");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkEndEntityKeyUsage(X509Certificate endEntity) {
        boolean[] usage = endEntity.getKeyUsage();
        if (usage != null && !usage[DIGITAL_SIGNATURE]) {
            return Optional.of("certificate " + CertText.subject(endEntity) + " lacks digitalSignature in its key usage, "
                    + "so it cannot sign IKE_AUTH; the peer needs a certificate issued for signing");
        }
        return Optional.empty();
    }

    /** The JDK's PKIX checks over the built chain (signatures, critical extensions, name constraints). */
    private static Optional<String> runPkix(List<X509Certificate> chain, Instant now) {
        X509Certificate anchor = chain.getLast();
        List<X509Certificate> path = chain.size() == 1 ? chain : chain.subList(0, chain.size() - 1);
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false); // CRLs are checked separately, only where one was configured
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            String which = e.getIndex() >= 0 && e.getIndex() < path.size() ? CertText.subject(path.get(e.getIndex()))
                    : CertText.subject(chain.getFirst());
            return Optional.of("certificate " + which + " failed path validation up to " + CertText.subject(anchor)
                    + ": " + e.getMessage() + "; check the peer's certificate chain");
        } catch (GeneralSecurityException e) {
            return Optional.of("certificate " + CertText.subject(chain.getFirst()) + " could not be validated: " + e.getMessage());
        }
    }

    /**
     * Each certificate against the CRLs of its issuer: the configured files, then (crl_fetch) the CRL
     * of its first http:// distribution point that answers. A certificate without such a CRL passes.
     */
    private Optional<String> checkRevocation(List<X509Certificate> chain, Instant now) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) continue;
                Optional<String> problem = checkAgainst(crl, Optional.empty(), cert, issuer, now);
                if (problem.isPresent()) return problem;
            }
            if (crlFetcher.isPresent()) {
                Optional<String> problem = checkDistributionPoints(crlFetcher.get(), cert, issuer, now);
                if (problem.isPresent()) return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkDistributionPoints(CrlFetcher fetcher, X509Certificate cert, X509Certificate issuer,
                                                            Instant now) {
        Optional<String> unreachable = Optional.empty();
        List<URI> points;
        try {
            points = CrlFetcher.distributionPoints(cert);
        } catch (IllegalArgumentException e) {
            return Optional.of("certificate " + CertText.subject(cert) + " cannot be checked for revocation: " + e.getMessage()
                    + "; ask its CA for a correct certificate, or set crl_fetch: false");
        }
        for (URI uri : points) {
            switch (fetcher.crl(uri, now)) {
                case CrlFetcher.Fetched.Crl(X509CRL crl) -> {
                    if (!crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) {
                        return Optional.of("the CRL from " + uri + " is issued by " + CertText.name(crl.getIssuerX500Principal())
                                + ", not by " + CertText.issuer(cert) + " which issued certificate " + CertText.subject(cert)
                                + ", so it cannot say whether that certificate is revoked; check the CRL published there");
                    }
                    return checkAgainst(crl, Optional.of(uri), cert, issuer, now);
                }
                case CrlFetcher.Fetched.Failed(String error) -> {
                    if (unreachable.isEmpty()) {
                        unreachable = Optional.of("could not fetch the CRL from " + uri + " (" + error + "); the certificate "
                                + CertText.subject(cert) + " cannot be checked for revocation; check that this gateway can "
                                + "reach it, or set crl_fetch: false");
                    }
                }
            }
        }
        return unreachable;
    }

    /** {@code crl} is from {@code cert}'s issuer by name; {@code uri} where it was fetched, empty for a file. */
    private static Optional<String> checkAgainst(X509CRL crl, Optional<URI> uri, X509Certificate cert, X509Certificate issuer,
                                                 Instant now) {
        String from = "CRL from " + CertText.name(crl.getIssuerX500Principal()) + uri.map(u -> " at " + u).orElse("");
        if (!crlSignedBy(crl, issuer)) {
            return Optional.of(from + " does not verify with the key of CA " + CertText.subject(issuer)
                    + " (or that CA lacks cRLSign); " + uri.map(u -> "check the CRL published at " + u)
                    .orElse("check the CRL file configured for this connection"));
        }
        X509CRLEntry entry = crl.getRevokedCertificate(cert);
        if (entry != null && !entry.getRevocationDate().toInstant().isAfter(now)) {
            String reason = entry.getRevocationReason() == null ? "" : ", reason " + entry.getRevocationReason();
            return Optional.of("certificate " + CertText.subject(cert) + " was revoked on "
                    + CertText.date(entry.getRevocationDate()) + reason + " (" + from + ", serial "
                    + cert.getSerialNumber().toString(16) + "); the peer needs a new certificate");
        }
        return Optional.empty();
    }

    private static boolean crlSignedBy(X509CRL crl, X509Certificate issuer) {
        boolean[] usage = issuer.getKeyUsage();
        if (usage != null && !usage[CRL_SIGN]) return false;
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
