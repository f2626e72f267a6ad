package io.ipsecd.ike.auth;

import static io.ipsecd.ike.auth.TestPki.CA_USAGE;
import static io.ipsecd.ike.auth.TestPki.GATEWAY_USAGE;
import static io.ipsecd.ike.auth.TestPki.dns;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ipsecd.conf.IdKind;
import io.ipsecd.conf.Identity;
import io.ipsecd.ike.auth.TestPki.Issued;
import io.ipsecd.ike.auth.TestPki.KeyType;
import io.ipsecd.ike.auth.TestPki.Spec;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** crl_fetch: the CRL named in a certificate's distribution point, served over HTTP on loopback. */
class CrlFetchTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2030-01-01T00:00:00Z");
    private static final Identity GW_ID = new Identity(IdKind.FQDN, "gw.example.com");

    private static Issued root;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] served = new byte[0];
    private String uri;
    private Issued gateway;
    private CrlFetcher fetcher;

    @BeforeAll
    static void buildCa() {
        root = TestPki.selfSigned(new Spec("CN=Fetch Root CA", FROM, TO, true, CA_USAGE), TestPki.keys(KeyType.ECDSA_P384));
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ca.crl", exchange -> {
            requests.incrementAndGet();
            byte[] body = served;
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/ca.crl";
        gateway = TestPki.issuedBy(root, new Spec("CN=gw.example.com", FROM, TO, false, GATEWAY_USAGE, dns("gw.example.com")),
                TestPki.keys(KeyType.ECDSA_P384), uri);
        fetcher = new CrlFetcher();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        fetcher.close();
    }

    private ChainVerdict validate() {
        return new CertificateChainValidator(List.of(root.cert()), List.of(), Optional.of(fetcher), CLOCK)
                .validate(gateway.cert(), List.of(), GW_ID);
    }

    private void serveCrlOf(Issued issuer, X509Certificate... revoked) throws Exception {
        served = TestPki.crl(issuer, NOW.minusSeconds(86400), NOW.minusSeconds(3600), revoked).getEncoded();
    }

    private static String refusal(ChainVerdict verdict) {
        assertThat(verdict).isInstanceOf(ChainVerdict.Invalid.class);
        return ((ChainVerdict.Invalid) verdict).message();
    }

    @Test
    void distributionPointIsReadFromTheCertificate() {
        assertThat(CrlFetcher.distributionPoints(gateway.cert())).map(Object::toString).containsExactly(uri);
        assertThat(CrlFetcher.distributionPoints(root.cert())).isEmpty();
    }

    @Test
    void certificateRevokedInTheFetchedCrlIsRefusedNamingTheUri() throws Exception {
        serveCrlOf(root, gateway.cert());
        assertThat(refusal(validate())).startsWith("certificate CN=gw.example.com was revoked on ")
                .contains("(CRL from CN=Fetch Root CA at " + uri + ", serial " + gateway.cert().getSerialNumber().toString(16) + ")");
        assertThat(requests).hasValue(1);
    }

    @Test
    void certificateNotInTheFetchedCrlIsAccepted() throws Exception {
        Issued other = TestPki.issuedBy(root, new Spec("CN=other", FROM, TO, false, GATEWAY_USAGE), TestPki.keys(KeyType.ECDSA_P384));
        serveCrlOf(root, other.cert());
        assertThat(validate()).isInstanceOf(ChainVerdict.Valid.class);
        assertThat(requests).hasValue(1);
    }

    @Test
    void malformedDistributionPointExtensionFailsClosed() throws Exception {
        gateway = TestPki.issuedWithCrlDistributionPoints(root, new Spec("CN=gw.example.com", FROM, TO, false, GATEWAY_USAGE,
                dns("gw.example.com")), TestPki.keys(KeyType.ECDSA_P384), new org.bouncycastle.asn1.DERUTF8String("not a CDP")
                .getEncoded());
        serveCrlOf(root);
        assertThat(refusal(validate())).startsWith("certificate CN=gw.example.com cannot be checked for revocation: its CRL "
                + "distribution points extension does not parse").endsWith("or set crl_fetch: false");
        assertThat(requests).hasValue(0);
    }

    @Test
    void unreachableDistributionPointFailsClosed() {
        server.stop(0);
        assertThat(refusal(validate())).isEqualTo("could not fetch the CRL from " + uri + " (connection refused); the certificate "
                + "CN=gw.example.com cannot be checked for revocation; check that this gateway can reach it, or set crl_fetch: false");
    }

    @Test
    void crlSignedByAnotherCaWithTheSameNameIsRefused() throws Exception {
        Issued impostor = TestPki.selfSigned(new Spec("CN=Fetch Root CA", FROM, TO, true, CA_USAGE),
                TestPki.keys(KeyType.ECDSA_P384));
        serveCrlOf(impostor);
        assertThat(refusal(validate())).isEqualTo("CRL from CN=Fetch Root CA at " + uri + " does not verify with the key of CA "
                + "CN=Fetch Root CA (or that CA lacks cRLSign); check the CRL published at " + uri);
    }

    @Test
    void crlOfAnotherIssuerIsRefused() throws Exception {
        Issued other = TestPki.selfSigned(new Spec("CN=Other CA", FROM, TO, true, CA_USAGE), TestPki.keys(KeyType.ECDSA_P384));
        serveCrlOf(other);
        assertThat(refusal(validate())).startsWith("the CRL from " + uri + " is issued by CN=Other CA, not by CN=Fetch Root CA");
    }

    @Test
    void cachedCrlServesTheNextValidationsUntilItsNextUpdate() throws Exception {
        serveCrlOf(root);
        assertThat(validate()).isInstanceOf(ChainVerdict.Valid.class);
        server.stop(0); // the second validation must not need the server
        assertThat(validate()).isInstanceOf(ChainVerdict.Valid.class);
        assertThat(requests).hasValue(1);
        Clock afterNextUpdate = Clock.fixed(NOW.plusSeconds(40L * 86400), ZoneOffset.UTC);
        assertThat(refusal(new CertificateChainValidator(List.of(root.cert()), List.of(), Optional.of(fetcher), afterNextUpdate)
                .validate(gateway.cert(), List.of(), GW_ID))).startsWith("could not fetch the CRL from " + uri);
    }

    @Test
    void oversizedBodyIsRefused() {
        served = new byte[CrlFetcher.MAX_BYTES + 1];
        assertThat(refusal(validate())).startsWith("could not fetch the CRL from " + uri + " (the CRL is larger than 1048576 bytes)");
    }

    @Test
    void garbageBodyIsRefusedAsNotACrl() {
        served = "<html>not found</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(refusal(validate())).startsWith("could not fetch the CRL from " + uri + " (the CRL from " + uri
                + " is neither a PEM nor a DER X.509 CRL");
    }
}
