package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.Connection;
import io.ipsecd.ike.auth.CertRequests;
import io.ipsecd.ike.auth.TestPki.Issued;
import io.ipsecd.ike.auth.TestPki.KeyType;
import io.ipsecd.ike.message.CertReqPayload;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.NotifyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IKE_AUTH with certificates between two negotiators: root, intermediate and gateway chains of
 * each key type bring a tunnel up; a revoked, untrusted, misnamed or incomplete chain is refused
 * with AUTHENTICATION_FAILED and a message that says what to check.
 */
class PubkeyExchangeTest {
    private static final String CORP_ID = "corp.example.net";
    private static final String CLOUD_ID = "cloud.example.net";

    @TempDir Path dir;

    private static Connection corp(Path sideDir, String extraLocal, String extraRemote) {
        return LabPki.connection(sideDir, CORP, CORP_ID, CLOUD_ID, extraLocal, extraRemote);
    }

    private static Connection cloud(Path sideDir, String extraLocal, String extraRemote) {
        return LabPki.connection(sideDir, CLOUD, CLOUD_ID, CORP_ID, extraLocal, extraRemote);
    }

    /** corp initiates {@code corpConn} to cloud's {@code cloudConn}; the lab runs one second. */
    private static ScriptedLab run(Connection corpConn, Connection cloudConn, List<ScriptedLab.Datagram> seen) {
        ScriptedLab lab = new ScriptedLab();
        lab.hold = d -> {
            seen.add(d);
            return false;
        };
        lab.corp.connections(List.of(corpConn));
        lab.cloud.connections(List.of(cloudConn));
        lab.corp.initiate(corpConn, List.of());
        lab.run(Duration.ofSeconds(1));
        return lab;
    }

    private ScriptedLab run(Connection corpConn, Connection cloudConn) {
        return run(corpConn, cloudConn, new ArrayList<>());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void chainsOfEachKeyTypeBringTheTunnelUp(KeyType type) {
        LabPki pki = new LabPki(dir, type);
        pki.writeBoth();
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", ""), cloud(dir.resolve("cloud"), "", ""));
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();
        assertThat(ScriptedLab.only(lab.corp).children().getFirst().name()).isEqualTo("net");
        assertThat(ScriptedLab.only(lab.corp).authentication()).startsWith("certificate CN=" + CLOUD_ID);
        assertThat(ScriptedLab.only(lab.cloud).authentication()).startsWith("certificate CN=" + CORP_ID);
    }

    @Test
    void rsaWithPkcs1PaddingAndTheClassicMethodsAlsoWork() {
        LabPki pki = new LabPki(dir, KeyType.RSA);
        pki.writeBoth();
        ScriptedLab lab = run(corp(dir.resolve("corp"), "rsa_padding: pkcs1", ""),
                cloud(dir.resolve("cloud"), "signature: classic", ""));
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp) && ScriptedLab.up(lab.cloud)).isTrue();
    }

    @Test
    void revokedResponderCertificateIsRefusedByTheInitiatorWithTheCrlsWords() {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        pki.revoke("corp", pki.cloud);
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", "crls: [intermediate.crl]"), cloud(dir.resolve("cloud"), "", ""));
        assertThat(ScriptedLab.up(lab.corp)).isFalse();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: authentication failed: certificate of peer "
                + CLOUD + " (id " + CLOUD_ID + ", tunnel s2s)").contains("CN=cloud.example.net", "was revoked on 2025-12-31",
                "CRL from CN=Lab Intermediate ECDSA_P384", "the peer needs a new certificate"));
        // the responder, which thought the IKE SA established, hears AUTHENTICATION_FAILED and drops it
        assertThat(lab.cloud.snapshot()).isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: authentication failed: peer " + CORP
                + " (tunnel s2s) refused our AUTH with certificate CN=cloud.example.net"));
    }

    @Test
    void revokedInitiatorCertificateIsRefusedByTheResponderAndTheInitiatorHearsIt() {
        LabPki pki = new LabPki(dir, KeyType.ED25519);
        pki.writeBoth();
        pki.revoke("cloud", pki.corp);
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", ""), cloud(dir.resolve("cloud"), "", "crls: [intermediate.crl]"));
        assertThat(ScriptedLab.up(lab.cloud)).isFalse();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: authentication failed: certificate of peer "
                + CORP).contains("was revoked"));
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: authentication failed: peer " + CLOUD
                + " (tunnel s2s) refused our AUTH with certificate").contains("trusts our CA"));
    }

    @Test
    void aPeerFromAnotherCaIsRefused() {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        LabPki other = new LabPki(dir, KeyType.ECDSA_P384, "CN=Other Root");
        other.pem("corp", "root.pem", other.root.cert());
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", ""), cloud(dir.resolve("cloud"), "", ""));
        assertThat(ScriptedLab.up(lab.corp)).isFalse();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: authentication failed: certificate of peer")
                .contains("CN=Other Root"));
    }

    @Test
    void aCertificateThatDoesNotNameThePeersIdIsRefused() {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeGateway("corp", pki.corp);
        pki.writeGateway("cloud", pki.gateway("C=CH, O=Lab, CN=somebody-else", "somebody-else.example.net"));
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", ""), cloud(dir.resolve("cloud"), "", ""));
        assertThat(ScriptedLab.up(lab.corp)).isFalse();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: tunnel s2s: local.id " + CLOUD_ID
                + " is not a name of its certificate"));
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).contains("peer identity " + CLOUD_ID
                + " does not match certificate", "DNS somebody-else.example.net"));
    }

    @Test
    void aPeerThatSendsOnlyItsOwnCertificateLacksTheIntermediate() {
        LabPki pki = new LabPki(dir, KeyType.RSA);
        pki.writeBoth();
        pki.pem("cloud", "gateway.pem", pki.cloud.cert());
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", ""), cloud(dir.resolve("cloud"), "", ""));
        assertThat(ScriptedLab.up(lab.corp)).isFalse();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).contains("chain incomplete: no certificate for issuer "
                + "CN=Lab Intermediate RSA", "the peer must send it"));
    }

    @Test
    void theResponderAsksForTheInitiatorsCaAndTheInitiatorAnswersWithItsChain() throws Exception {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        List<ScriptedLab.Datagram> seen = new ArrayList<>();
        ScriptedLab lab = run(corp(dir.resolve("corp"), "", ""), cloud(dir.resolve("cloud"), "", ""), seen);
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();
        IkeMessage initResponse = IkeMessageCodec.decode(seen.stream()
                .filter(d -> d.is(ExchangeType.IKE_SA_INIT, true)).findFirst().orElseThrow().bytes());
        assertThat(initResponse.all(CertReqPayload.class)).singleElement()
                .extracting(CertReqPayload::data).isEqualTo(CertRequests.authorityHashes(List.of(pki.root.cert())));
        assertThat(initResponse.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS)).isPresent();
        IkeSa corpSa = lab.corp.sas("s2s").getFirst();
        assertThat(corpSa.peerCertRequests).containsExactly(CertRequests.authorityHashes(List.of(pki.root.cert())));
        assertThat(corpSa.peerSignatureHashes).contains(2, 3, 4, 5);
    }

    @Test
    void dnIdentitiesMatchTheSubjectInStrongSwansOrder() {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        Connection corpConn = LabPki.connection(dir.resolve("corp"), CORP, "C=CH, O=Lab, CN=corp.example.net",
                "C=CH, O=Lab, CN=cloud.example.net", "", "");
        Connection cloudConn = LabPki.connection(dir.resolve("cloud"), CLOUD, "C=CH, O=Lab, CN=cloud.example.net",
                "CN=corp.example.net, O=Lab, C=CH", "", "");
        ScriptedLab lab = run(corpConn, cloudConn);
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp) && ScriptedLab.up(lab.cloud)).isTrue();
        assertThat(ScriptedLab.only(lab.cloud).remoteId()).isEqualTo("C=CH, O=Lab, CN=corp.example.net");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsReportedWhenLoadedAndTheTunnelIsNotTried() {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        Issued stranger = pki.gateway("CN=stranger", "stranger.example.net");
        pki.pem("corp", "gateway.key", stranger.keys().getPrivate());
        ScriptedLab lab = new ScriptedLab();
        Connection corpConn = corp(dir.resolve("corp"), "", "");
        lab.corp.connections(List.of(corpConn));
        assertThat(lab.failures).singleElement().asString().startsWith("corp: tunnel s2s cannot use its certificates: key file "
                + dir.resolve("corp/gateway.key")).contains("does not belong to certificate", "fix the file and reload");
        lab.corp.initiate(corpConn, List.of());
        lab.run(Duration.ofSeconds(1));
        assertThat(lab.wire).isEmpty();
        assertThat(lab.failures).hasSize(2);
    }

    @Test
    void anEncryptedKeyOpensWithItsPassphraseFileAndAWrongOneIsNamed() throws Exception {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        pki.encryptKey("corp", pki.corp, "correct horse battery");
        String passphrase = "key_passphrase: { file: gateway.pass }";
        ScriptedLab lab = run(corp(dir.resolve("corp"), passphrase, ""), cloud(dir.resolve("cloud"), "", ""));
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).isTrue();

        java.nio.file.Files.writeString(dir.resolve("corp/gateway.pass"), "wrong horse\n");
        ScriptedLab wrong = new ScriptedLab();
        wrong.corp.connections(List.of(corp(dir.resolve("corp"), passphrase, "")));
        assertThat(wrong.failures).singleElement().asString().startsWith("corp: tunnel s2s cannot use its certificates: ")
                .contains(dir.resolve("corp/gateway.key").toString()).doesNotContain("wrong horse");
    }

    @Test
    void aLocalIdThatOurCertificateDoesNotNameIsReportedWhenLoaded() {
        LabPki pki = new LabPki(dir, KeyType.ECDSA_P384);
        pki.writeBoth();
        ScriptedLab lab = new ScriptedLab();
        lab.corp.connections(List.of(LabPki.connection(dir.resolve("corp"), CORP, "gw.example.org", CLOUD_ID, "", "")));
        assertThat(lab.failures).singleElement().asString().isEqualTo("corp: tunnel s2s: local.id gw.example.org is not a "
                + "name of its certificate " + dir.resolve("corp/gateway.pem") + ", so peers will refuse it (identity "
                + "gw.example.org does not match certificate CN=corp.example.net,O=Lab,C=CH (subjectAltName: DNS "
                + "corp.example.net); check the id configured for this peer, or the names in the peer's certificate); "
                + "set local.id to a name in the certificate");
    }
}
