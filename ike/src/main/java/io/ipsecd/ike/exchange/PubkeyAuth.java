package io.ipsecd.ike.exchange;

import io.ipsecd.conf.AuthMethod;
import io.ipsecd.conf.Connection;
import io.ipsecd.ike.auth.AuthValue;
import io.ipsecd.ike.auth.CertRequests;
import io.ipsecd.ike.auth.CertificateChainValidator;
import io.ipsecd.ike.auth.ChainVerdict;
import io.ipsecd.ike.auth.CrlFetcher;
import io.ipsecd.ike.auth.LocalCredential;
import io.ipsecd.ike.auth.SignatureAuth;
import io.ipsecd.ike.auth.SignatureException;
import io.ipsecd.ike.auth.SignatureVerdict;
import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.CertPayload;
import io.ipsecd.ike.message.CertReqPayload;
import io.ipsecd.ike.message.IdPayload;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate authentication in IKE_SA_INIT and IKE_AUTH (RFC 7296 §2.15, §3.6, §3.7; RFC 7427):
 * SIGNATURE_HASH_ALGORITHMS, CERTREQ with the hashes of remote.cacerts, our CERT chain, our AUTH
 * signed with the local key, and the peer's chain, identity and signature checked before its AUTH
 * counts. {@link IkeAuthTask} calls in here for the side(s) whose auth is pubkey; PSK stays there.
 */
final class PubkeyAuth {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private PubkeyAuth() {
    }

    /** Our AUTH is a signature. */
    static boolean signs(Connection c) {
        return c.local().auth() == AuthMethod.PUBKEY;
    }

    /** The peer's AUTH must be a signature from a certificate chaining to remote.cacerts. */
    static boolean verifies(Connection c) {
        return c.remote().auth() == AuthMethod.PUBKEY;
    }

    // ---- IKE_SA_INIT ---------------------------------------------------------------------------

    /** Initiator's IKE_SA_INIT request: SIGNATURE_HASH_ALGORITHMS when a side uses certificates. */
    static List<Payload> offer(Connection c) {
        return PubkeyCredentials.uses(c)
                ? List.of(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, SignatureAuth.hashAlgorithmsData()))
                : List.of();
    }

    /**
     * Responder's IKE_SA_INIT response: notes the peer's hash algorithms, answers with ours and,
     * when we check the peer's certificate, asks for it with CERTREQ (as strongSwan does).
     */
    static List<Payload> answer(IkeSa sa, List<Payload> request) {
        noteInit(sa, request);
        List<Payload> out = new ArrayList<>(offer(sa.conn));
        out.addAll(certRequest(sa));
        return out;
    }

    /** Initiator, IKE_SA_INIT response (responder, request): what the peer said about signatures and CAs. */
    static void noteInit(IkeSa sa, List<Payload> payloads) {
        IkeMessage m = ChildExchange.view(payloads);
        m.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS)
                .ifPresent(n -> sa.peerSignatureHashes = SignatureAuth.parseHashAlgorithms(n.data()));
        noteCertRequests(sa, m);
    }

    private static void noteCertRequests(IkeSa sa, IkeMessage m) {
        for (CertReqPayload r : m.all(CertReqPayload.class)) {
            if (r.encoding() == CertReqPayload.X509_SIGNATURE) sa.peerCertRequests.add(r.data());
        }
    }

    // ---- IKE_AUTH, our side --------------------------------------------------------------------

    /**
     * CERT payloads (our end entity then intermediates) when we sign, CERTREQ when we check the
     * peer and are the initiator (the responder asked in IKE_SA_INIT). {@code peerMessage} is the
     * responder's view of the IKE_AUTH request, null for the initiator.
     */
    static List<Payload> certificates(IkeSa sa, IkeMessage peerMessage) {
        if (peerMessage != null) noteCertRequests(sa, peerMessage);
        List<Payload> out = new ArrayList<>();
        if (signs(sa.conn) && ready(sa).flatMap(PubkeyCredentials.Entry.Ready::own).orElse(null) instanceof LocalCredential own) {
            logUnrequested(sa, own);
            for (X509Certificate cert : own.chain()) {
                try {
                    out.add(new CertPayload(CertPayload.X509_SIGNATURE, Bytes.of(cert.getEncoded())));
                } catch (java.security.cert.CertificateEncodingException e) {
                    throw new IllegalStateException("a parsed certificate re-encodes", e);
                }
            }
        }
        if (sa.initiator) out.addAll(certRequest(sa));
        return out;
    }

    /** The peer asked for certificates of certain CAs and ours are not among them: we send anyway, as strongSwan does. */
    private static void logUnrequested(IkeSa sa, LocalCredential own) {
        if (sa.peerCertRequests.isEmpty() || !log.isDebugEnabled()) return;
        boolean named = sa.peerCertRequests.stream().anyMatch(r -> own.chain().stream().anyMatch(c -> CertRequests.requests(r, c)));
        if (!named) {
            log.debug("{}: peer {} asks for certificates from other CAs ({} CERTREQ hash(es)); sending our chain {} anyway",
                    sa.name(), sa.peer(), sa.peerCertRequests.stream().mapToInt(b -> b.length() / 20).sum(),
                    own.chain().stream().map(c -> c.getSubjectX500Principal().getName()).toList());
        }
    }

    private static List<Payload> certRequest(IkeSa sa) {
        if (!verifies(sa.conn)) return List.of();
        List<X509Certificate> cas = ready(sa).map(PubkeyCredentials.Entry.Ready::cacerts).orElse(List.of());
        return cas.isEmpty() ? List.of()
                : List.of(new CertReqPayload(CertReqPayload.X509_SIGNATURE, CertRequests.authorityHashes(cas)));
    }

    /** Our AUTH signed over the octets of {@code ourId}, or empty after failing the IKE SA with the reason. */
    static Optional<AuthPayload> sign(IkeSa sa, IdPayload ourId) {
        Optional<String> why = problem(sa);
        if (why.isEmpty()) {
            LocalCredential own = ready(sa).get().own().orElseThrow();
            byte[] octets = SaKeying.signedOctets(sa, true, ourId);
            try {
                AuthValue v = SignatureAuth.sign(own.key(), octets, sa.peerSignatureHashes, ready(sa).get().options());
                return Optional.of(v.toPayload());
            } catch (SignatureException e) {
                why = Optional.of("cannot sign our AUTH for peer " + sa.peer() + ": " + e.getMessage());
            } finally {
                Arrays.fill(octets, (byte) 0);
            }
        }
        sa.fail(Optional.empty(), why.get());
        return Optional.empty();
    }

    /** The data of our signature AUTH, for RFC 8784's NO_PPK_AUTH; empty array when signing fails. */
    static byte[] signatureData(IkeSa sa, IdPayload ourId) {
        if (problem(sa).isPresent()) return new byte[0];
        byte[] octets = SaKeying.signedOctets(sa, true, ourId);
        try {
            return SignatureAuth.sign(ready(sa).get().own().orElseThrow().key(), octets, sa.peerSignatureHashes,
                    ready(sa).get().options()).data();
        } catch (SignatureException e) {
            return new byte[0];
        } finally {
            Arrays.fill(octets, (byte) 0);
        }
    }

    /** Initiator: the peer answered AUTHENTICATION_FAILED to our certificate AUTH. */
    static String refusedByPeer(IkeSa sa) {
        String ours = ready(sa).flatMap(PubkeyCredentials.Entry.Ready::own)
                .map(o -> o.certificate().getSubjectX500Principal().getName()).orElse("?");
        return "authentication failed: peer " + sa.peer() + " (tunnel " + sa.name() + ") refused our AUTH with certificate "
                + ours + " (id " + sa.conn.local().id() + "); check on the peer that it trusts our CA, that our certificate "
                + "is not revoked or expired there, and that it expects id " + sa.conn.local().id()
                + (verifies(sa.conn) ? "" : " and authenticates us by certificate");
    }

    // ---- IKE_AUTH, the peer's side -------------------------------------------------------------

    /**
     * Checks the peer's certificate chain (to remote.cacerts: dates, CA constraints, key usage,
     * CRLs), that it names the peer's identity, and its AUTH signature. Empty when the peer is
     * authentic, else the admin-facing reason.
     */
    static Optional<String> verify(IkeSa sa, IkeMessage m, IdPayload peerId, int method, byte[] data) {
        Optional<String> broken = problem(sa);
        if (broken.isPresent()) return broken;
        String who = "peer " + sa.peer() + " (id " + sa.conn.remote().id() + ", tunnel " + sa.name() + ")";
        if (method == AuthPayload.SHARED_KEY_MIC) {
            return Optional.of("authentication failed: " + who + " authenticates with a PSK, but remote.auth is pubkey: "
                    + "configure a certificate on the peer, or set remote.auth to psk");
        }
        List<X509Certificate> sent = new ArrayList<>();
        for (CertPayload cert : m.all(CertPayload.class)) {
            if (cert.encoding() != CertPayload.X509_SIGNATURE) continue;
            try {
                sent.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(cert.data().toArray())));
            } catch (CertificateException | RuntimeException e) {
                return Optional.of("authentication failed: " + who + " sent a certificate that does not parse ("
                        + e.getMessage() + "); check the certificate configured on the peer");
            }
        }
        if (sent.isEmpty()) {
            return Optional.of("authentication failed: " + who + " sent no certificate (no X.509 CERT payload); "
                    + "configure the peer to send its certificate (strongSwan: send_cert = always)");
        }
        X509Certificate endEntity = sent.getFirst();
        String subject = endEntity.getSubjectX500Principal().getName();
        PubkeyCredentials.Entry.Ready trust = ready(sa).orElseThrow();
        // with crl_fetch an uncached CRL is fetched here, on the event loop: bounded by CrlFetcher's timeout (2 s)
        Optional<CrlFetcher> fetcher = trust.crlFetch() ? Optional.of(sa.n.credentials.crlFetcher) : Optional.empty();
        ChainVerdict verdict = new CertificateChainValidator(trust.cacerts(), trust.crls(), fetcher, clock(sa))
                .validate(endEntity, sent.subList(1, sent.size()), sa.conn.remote().id());
        if (verdict instanceof ChainVerdict.Invalid(String message)) {
            return Optional.of("authentication failed: certificate of " + who + " (" + subject + ") refused: " + message);
        }
        byte[] octets = SaKeying.signedOctets(sa, false, peerId);
        try {
            SignatureVerdict sig = SignatureAuth.verify(endEntity.getPublicKey(), method, data, octets);
            if (sig instanceof SignatureVerdict.Invalid(String reason)) {
                return Optional.of("authentication failed: AUTH of " + who + " (certificate " + subject + ") refused: " + reason);
            }
            String scheme = ((SignatureVerdict.Valid) sig).scheme();
            sa.peerAuth = "certificate " + subject + ", " + scheme;
            log.info("{}: peer {} authenticated with certificate {} ({})", sa.name(), sa.peer(), subject, scheme);
            return Optional.empty();
        } finally {
            Arrays.fill(octets, (byte) 0);
        }
    }

    private static Optional<PubkeyCredentials.Entry.Ready> ready(IkeSa sa) {
        return sa.n.credentials.of(sa.conn) instanceof PubkeyCredentials.Entry.Ready r ? Optional.of(r) : Optional.empty();
    }

    /** Why this connection cannot do certificate authentication now: its files did not load. */
    private static Optional<String> problem(IkeSa sa) {
        return sa.n.credentials.of(sa.conn) instanceof PubkeyCredentials.Entry.Broken(String message)
                ? Optional.of(message) : Optional.empty();
    }

    /** Validation time is the negotiator's clock (a manual one in tests). */
    private static Clock clock(IkeSa sa) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return sa.n.loop.now();
            }
        };
    }
}
