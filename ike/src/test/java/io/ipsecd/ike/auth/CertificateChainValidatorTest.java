package io.ipsecd.ike.auth;

import static io.ipsecd.ike.auth.TestPki.CA_USAGE;
import static io.ipsecd.ike.auth.TestPki.GATEWAY_USAGE;
import static io.ipsecd.ike.auth.TestPki.dns;
import static io.ipsecd.ike.auth.TestPki.email;
import static io.ipsecd.ike.auth.TestPki.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.IdKind;
import io.ipsecd.conf.Identity;
import io.ipsecd.ike.auth.TestPki.Issued;
import io.ipsecd.ike.auth.TestPki.KeyType;
import io.ipsecd.ike.auth.TestPki.Spec;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateChainValidatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Instant CA_FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant CA_TO = Instant.parse("2035-01-01T00:00:00Z");
    private static final Instant GW_FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant GW_TO = Instant.parse("2027-01-01T00:00:00Z");
    private static final Identity GW_ID = new Identity(IdKind.FQDN, "gw.example.com");

    private static KeyPair gwKeys;
    private static Issued root;
    private static Issued intermediate;
    private static Issued gateway;

    @BeforeAll
    static void buildRsaPki() {
        root = TestPki.selfSigned(new Spec("CN=Root CA", CA_FROM, CA_TO, true, CA_USAGE), TestPki.keys(KeyType.RSA));
        intermediate = TestPki.issuedBy(root, new Spec("CN=Intermediate CA", CA_FROM, CA_TO, true, CA_USAGE),
                TestPki.keys(KeyType.RSA));
        gwKeys = TestPki.keys(KeyType.RSA);
        gateway = gatewayCert(intermediate, "CN=gw.example.com", GW_FROM, GW_TO, GATEWAY_USAGE);
    }

    private static Issued gatewayCert(Issued issuer, String subject, Instant from, Instant to, int usage) {
        return TestPki.issuedBy(issuer, new Spec(subject, from, to, false, usage, dns("gw.example.com"), ip("192.0.2.2"),
                ip("2001:db8::2"), email("gw@example.com")), gwKeys);
    }

    private static CertificateChainValidator validator(List<X509CRL> crls) {
        return new CertificateChainValidator(List.of(root.cert()), crls, CLOCK);
    }

    private static String refusal(ChainVerdict verdict) {
        assertThat(verdict).isInstanceOf(ChainVerdict.Invalid.class);
        return ((ChainVerdict.Invalid) verdict).message();
    }

    @Test
    void rsaChainThroughAnIntermediateIsValid() {
        ChainVerdict verdict = validator(List.of()).validate(gateway.cert(), List.of(intermediate.cert()), GW_ID);

        assertThat(verdict).isEqualTo(new ChainVerdict.Valid(List.of(gateway.cert(), intermediate.cert(), root.cert())));
    }

    @Test
    void ecdsaP384ChainIsValid() {
        Issued ecRoot = TestPki.selfSigned(new Spec("CN=EC Root CA", CA_FROM, CA_TO, true, CA_USAGE),
                TestPki.keys(KeyType.ECDSA_P384));
        Issued ecIntermediate = TestPki.issuedBy(ecRoot, new Spec("CN=EC Intermediate CA", CA_FROM, CA_TO, true, CA_USAGE),
                TestPki.keys(KeyType.ECDSA_P384));
        Issued ecGateway = TestPki.issuedBy(ecIntermediate, new Spec("CN=gw.example.com", GW_FROM, GW_TO, false,
                GATEWAY_USAGE, dns("gw.example.com")), TestPki.keys(KeyType.ECDSA_P384));
        var ecValidator = new CertificateChainValidator(List.of(root.cert(), ecRoot.cert()), List.of(), CLOCK);

        ChainVerdict verdict = ecValidator.validate(ecGateway.cert(), List.of(ecIntermediate.cert()), GW_ID);

        assertThat(ecGateway.cert().getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(verdict).isEqualTo(new ChainVerdict.Valid(List.of(ecGateway.cert(), ecIntermediate.cert(), ecRoot.cert())));
    }

    @Test
    void expiredCertificateIsRefusedWithItsDates() {
        Issued expired = gatewayCert(intermediate, "CN=gw.example.com", Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), GATEWAY_USAGE);

        String message = refusal(validator(List.of()).validate(expired.cert(), List.of(intermediate.cert()), GW_ID));

        assertThat(message).isEqualTo("certificate CN=gw.example.com expired on 2026-01-01T00:00:00Z (valid from "
                + "2025-01-01T00:00:00Z to 2026-01-01T00:00:00Z; now 2026-06-01T12:00:00Z); renew it on the peer");
    }

    @Test
    void certificateNotValidYetIsRefused() {
        Issued early = gatewayCert(intermediate, "CN=gw.example.com", Instant.parse("2026-07-01T00:00:00Z"), GW_TO,
                GATEWAY_USAGE);

        String message = refusal(validator(List.of()).validate(early.cert(), List.of(intermediate.cert()), GW_ID));

        assertThat(message).startsWith("certificate CN=gw.example.com is not valid yet (valid from 2026-07-01T00:00:00Z")
                .contains("check this host's clock");
    }

    @Test
    void chainEndingAtAnUntrustedRootIsRefused() {
        Issued otherRoot = TestPki.selfSigned(new Spec("CN=Other CA", CA_FROM, CA_TO, true, CA_USAGE), TestPki.keys(KeyType.RSA));
        Issued foreign = gatewayCert(otherRoot, "CN=gw.example.com", GW_FROM, GW_TO, GATEWAY_USAGE);

        String message = refusal(validator(List.of()).validate(foreign.cert(), List.of(otherRoot.cert()), GW_ID));

        assertThat(message).isEqualTo("certificate CN=gw.example.com is not issued by a trusted CA: its chain ends at root "
                + "CN=Other CA, which is not in the trust store (cacerts: CN=Root CA); add that CA to cacerts if it is to be "
                + "trusted, or give the peer a certificate from a trusted CA");
    }

    @Test
    void certificateFromAnImpostorCaWithATrustedNameIsRefused() {
        Issued impostor = TestPki.selfSigned(new Spec("CN=Root CA", CA_FROM, CA_TO, true, CA_USAGE), TestPki.keys(KeyType.RSA));
        Issued forged = gatewayCert(impostor, "CN=gw.example.com", GW_FROM, GW_TO, GATEWAY_USAGE);

        String message = refusal(validator(List.of()).validate(forged.cert(), List.of(), GW_ID));

        assertThat(message).startsWith("certificate CN=gw.example.com is not issued by a trusted CA: its issuer is named "
                + "CN=Root CA like a CA in the trust store, but its signature does not verify with that CA's key");
    }

    @Test
    void missingIntermediateIsReportedAsAnIncompleteChain() {
        String message = refusal(validator(List.of()).validate(gateway.cert(), List.of(), GW_ID));

        assertThat(message).isEqualTo("chain incomplete: no certificate for issuer CN=Intermediate CA of certificate "
                + "CN=gw.example.com (the peer sent no intermediates; cacerts: CN=Root CA); if CN=Intermediate CA is an "
                + "intermediate CA the peer must send it, or add it to cacerts; otherwise the peer's certificate is not "
                + "from a trusted CA");
    }

    @Test
    void intermediateInTheTrustStoreCompletesTheChain() {
        var withIntermediate = new CertificateChainValidator(List.of(root.cert(), intermediate.cert()), List.of(), CLOCK);

        ChainVerdict verdict = withIntermediate.validate(gateway.cert(), List.of(), GW_ID);

        assertThat(verdict).isEqualTo(new ChainVerdict.Valid(List.of(gateway.cert(), intermediate.cert())));
    }

    @Test
    void revokedCertificateIsRefusedWithTheCrlThatSaysSo() {
        X509CRL crl = TestPki.crl(intermediate, Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
                gateway.cert());

        String message = refusal(validator(List.of(crl)).validate(gateway.cert(), List.of(intermediate.cert()), GW_ID));

        assertThat(message).isEqualTo("certificate CN=gw.example.com was revoked on 2026-03-01T00:00:00Z, reason "
                + "KEY_COMPROMISE (CRL from CN=Intermediate CA, serial " + gateway.cert().getSerialNumber().toString(16)
                + "); the peer needs a new certificate");
    }

    @Test
    void crlThatListsOtherCertificatesLetsTheChainThrough() {
        Issued sibling = gatewayCert(intermediate, "CN=gw3.example.com", GW_FROM, GW_TO, GATEWAY_USAGE);
        X509CRL crl = TestPki.crl(intermediate, Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
                sibling.cert());

        ChainVerdict verdict = validator(List.of(crl)).validate(gateway.cert(), List.of(intermediate.cert()), GW_ID);

        assertThat(verdict).isInstanceOf(ChainVerdict.Valid.class);
    }

    @Test
    void crlSignedByAnotherKeyIsRefused() {
        Issued impostor = TestPki.selfSigned(new Spec("CN=Intermediate CA", CA_FROM, CA_TO, true, CA_USAGE), gwKeys);
        X509CRL forged = TestPki.crl(impostor, Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));

        String message = refusal(validator(List.of(forged)).validate(gateway.cert(), List.of(intermediate.cert()), GW_ID));

        assertThat(message).startsWith("CRL from CN=Intermediate CA does not verify with the key of CA CN=Intermediate CA");
    }

    @Test
    void identityNotInTheSubjectAltNameIsRefused() {
        Identity other = new Identity(IdKind.FQDN, "gw2.example.com");

        String message = refusal(validator(List.of()).validate(gateway.cert(), List.of(intermediate.cert()), other));

        assertThat(message).isEqualTo("peer identity gw2.example.com does not match certificate CN=gw.example.com "
                + "(subjectAltName: DNS gw.example.com, IP 192.0.2.2, IP 2001:db8:0:0:0:0:0:2, email gw@example.com); "
                + "check the id configured for this peer, or the names in the peer's certificate");
    }

    @Test
    void fqdnMatchIgnoresCaseAndATrailingDot() {
        assertThat(validator(List.of()).validate(gateway.cert(), List.of(intermediate.cert()),
                new Identity(IdKind.FQDN, "GW.Example.com."))).isInstanceOf(ChainVerdict.Valid.class);
    }

    @Test
    void ipAddressIdentitiesMatchTheIpSubjectAltNames() {
        CertificateChainValidator validator = validator(List.of());
        List<X509Certificate> sent = List.of(intermediate.cert());

        assertThat(validator.validate(gateway.cert(), sent, new Identity(IdKind.IPV4_ADDR, "192.0.2.2")))
                .isInstanceOf(ChainVerdict.Valid.class);
        assertThat(validator.validate(gateway.cert(), sent, new Identity(IdKind.IPV6_ADDR, "2001:db8:0::2")))
                .isInstanceOf(ChainVerdict.Valid.class);
        assertThat(refusal(validator.validate(gateway.cert(), sent, new Identity(IdKind.IPV4_ADDR, "192.0.2.3"))))
                .startsWith("peer identity 192.0.2.3 does not match certificate CN=gw.example.com");
    }

    @Test
    void emailIdentityMatchesTheRfc822SubjectAltName() {
        CertificateChainValidator validator = validator(List.of());
        List<X509Certificate> sent = List.of(intermediate.cert());

        assertThat(validator.validate(gateway.cert(), sent, new Identity(IdKind.RFC822_ADDR, "gw@example.com")))
                .isInstanceOf(ChainVerdict.Valid.class);
        assertThat(refusal(validator.validate(gateway.cert(), sent, new Identity(IdKind.RFC822_ADDR, "ops@example.com"))))
                .startsWith("peer identity ops@example.com does not match certificate CN=gw.example.com");
    }

    /** The DN text is read like io.ipsecd.ike.exchange.Identities reads it: RFC 4514 order, most specific RDN first. */
    @Test
    void dnIdentityMatchesTheSubjectDn() {
        Issued dnGateway = gatewayCert(intermediate, "C=US, O=Example, CN=dn-gw", GW_FROM, GW_TO, GATEWAY_USAGE);
        CertificateChainValidator validator = validator(List.of());
        List<X509Certificate> sent = List.of(intermediate.cert());

        assertThat(validator.validate(dnGateway.cert(), sent, new Identity(IdKind.DER_ASN1_DN, "CN=dn-gw, O=Example, C=US")))
                .isInstanceOf(ChainVerdict.Valid.class);
        assertThat(refusal(validator.validate(dnGateway.cert(), sent,
                new Identity(IdKind.DER_ASN1_DN, "CN=other, O=Example, C=US"))))
                .isEqualTo("peer identity CN=other, O=Example, C=US does not match certificate CN=dn-gw,O=Example,C=US "
                        + "(subject DN: CN=dn-gw,O=Example,C=US); check the id configured for this peer, or the names in "
                        + "the peer's certificate");
    }

    @Test
    void keyIdIdentityCannotBeMatchedToACertificate() {
        assertThat(refusal(validator(List.of()).validate(gateway.cert(), List.of(intermediate.cert()),
                new Identity(IdKind.KEY_ID, "0a1b")))).startsWith("peer identity keyid:0a1b is a key ID");
    }

    @Test
    void issuerWithoutTheCaFlagIsRefused() {
        Issued notCa = TestPki.issuedBy(root, new Spec("CN=Not A CA", CA_FROM, CA_TO, false, CA_USAGE), TestPki.keys(KeyType.RSA));
        Issued below = gatewayCert(notCa, "CN=gw.example.com", GW_FROM, GW_TO, GATEWAY_USAGE);

        String message = refusal(validator(List.of()).validate(below.cert(), List.of(notCa.cert()), GW_ID));

        assertThat(message).isEqualTo("certificate CN=Not A CA signed CN=gw.example.com but is not a CA (basicConstraints "
                + "CA flag missing); check the chain the peer sends and cacerts");
    }

    @Test
    void caWithoutKeyCertSignIsRefused() {
        Issued signOnly = TestPki.issuedBy(root, new Spec("CN=Sign Only CA", CA_FROM, CA_TO, true,
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature), TestPki.keys(KeyType.RSA));
        Issued below = gatewayCert(signOnly, "CN=gw.example.com", GW_FROM, GW_TO, GATEWAY_USAGE);

        String message = refusal(validator(List.of()).validate(below.cert(), List.of(signOnly.cert()), GW_ID));

        assertThat(message).startsWith("CA certificate CN=Sign Only CA lacks keyCertSign in its key usage");
    }

    @Test
    void endEntityWithoutDigitalSignatureIsRefused() {
        Issued encipherOnly = gatewayCert(intermediate, "CN=gw.example.com", GW_FROM, GW_TO,
                org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment);

        String message = refusal(validator(List.of()).validate(encipherOnly.cert(), List.of(intermediate.cert()), GW_ID));

        assertThat(message).isEqualTo("certificate CN=gw.example.com lacks digitalSignature in its key usage, so it cannot "
                + "sign IKE_AUTH; the peer needs a certificate issued for signing");
    }
}
