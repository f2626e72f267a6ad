package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auth: pubkey}: the certificate, key and trust-store files are found, checked and named in errors. */
class PubkeyConfigTest {
    @TempDir Path dir;

    private static final String BOTH_PUBKEY = """
            connections:
              site:
                local:
                  address: 192.0.2.1
                  id: gw-a.example.net
                  auth: pubkey
                  cert: certs/gw-a.pem
                  key: private/gw-a.key
                remote:
                  address: 192.0.2.2
                  id: gw-b.example.net
                  auth: pubkey
                  cacerts: [certs/root.pem]
                  crls: [certs/intermediate.crl]
            """;

    @BeforeEach
    void files() throws Exception {
        TestFiles.psk(dir, "certs/gw-a.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "rw-r--r--");
        TestFiles.psk(dir, "certs/root.pem", "root", "rw-r--r--");
        TestFiles.psk(dir, "certs/intermediate.pem", "intermediate", "rw-r--r--");
        TestFiles.psk(dir, "certs/intermediate.crl", "crl", "rw-r--r--");
        TestFiles.psk(dir, "private/gw-a.key", "key", "rw-------");
        TestFiles.psk(dir, "private/gw-a.pass", "correct horse\n", "r--------");
    }

    private List<String> errors(String yaml) {
        LoadResult r = TestFiles.parse(yaml, dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
    }

    @Test
    void bothSidesPubkeyNeedNoPskAndResolvePathsAgainstTheConfigFolder() {
        Connection c = TestFiles.valid(BOTH_PUBKEY, dir).connections().get("site");
        assertThat(c.psk()).isEmpty();
        assertThat(c.local().auth()).isEqualTo(AuthMethod.PUBKEY);
        LocalCertificate own = c.local().certificate().orElseThrow();
        assertThat(own.cert().path()).isEqualTo(dir.resolve("certs/gw-a.pem"));
        assertThat(own.key().path()).isEqualTo(dir.resolve("private/gw-a.key"));
        assertThat(own.keyPassphrase()).isEmpty();
        assertThat(own.signature()).isEqualTo(SignatureFormat.RFC7427);
        assertThat(own.rsaPadding()).isEqualTo(RsaPadding.PSS);
        TrustStore trust = c.remote().trustStore().orElseThrow();
        assertThat(trust.cacerts()).map(CredentialFile::path).containsExactly(dir.resolve("certs/root.pem"));
        assertThat(trust.crls()).map(CredentialFile::path).containsExactly(dir.resolve("certs/intermediate.crl"));
        assertThat(c.local().trustStore()).isEmpty();
        assertThat(c.remote().certificate()).isEmpty();
    }

    @Test
    void passphraseIntermediatesAndClassicSignatures() {
        Connection c = TestFiles.valid(BOTH_PUBKEY.replace("      key: private/gw-a.key\n", """
                      key: private/gw-a.key
                      key_passphrase: { file: private/gw-a.pass }
                      intermediates: [certs/intermediate.pem]
                      signature: classic
                """), dir).connections().get("site");
        LocalCertificate own = c.local().certificate().orElseThrow();
        assertThat(own.keyPassphrase().orElseThrow().bytes()).isEqualTo("correct horse".getBytes());
        assertThat(own.keyPassphrase().get().source()).isEqualTo("file " + dir.resolve("private/gw-a.pass"));
        assertThat(own.intermediates()).map(CredentialFile::path).containsExactly(dir.resolve("certs/intermediate.pem"));
        assertThat(own.signature()).isEqualTo(SignatureFormat.CLASSIC);
        assertThat(own.rsaPadding()).isEqualTo(RsaPadding.PKCS1);
    }

    @Test
    void crlFetchIsOffUnlessSetAndMustBeABoolean() {
        assertThat(TestFiles.valid(BOTH_PUBKEY, dir).connections().get("site").remote().trustStore().orElseThrow().crlFetch())
                .isFalse();
        String fetching = BOTH_PUBKEY.replace("      crls: [certs/intermediate.crl]\n",
                "      crls: [certs/intermediate.crl]\n      crl_fetch: true\n");
        assertThat(TestFiles.valid(fetching, dir).connections().get("site").remote().trustStore().orElseThrow().crlFetch())
                .isTrue();
        assertThat(errors(fetching.replace("crl_fetch: true", "crl_fetch: sometimes"))).containsExactly(
                "test.yaml:15:18: connections.site.remote.crl_fetch: expected true or false, found a string");
    }

    @Test
    void missingAndDirectoryFilesAreNamedWithTheirLine() throws Exception {
        Files.createDirectory(dir.resolve("certs/dir.pem"));
        assertThat(errors(BOTH_PUBKEY.replace("cert: certs/gw-a.pem", "cert: certs/nope.pem")
                .replace("[certs/root.pem]", "[certs/root.pem, certs/dir.pem]"))).containsExactly(
                "test.yaml:7:13: connections.site.local.cert: certificate file " + dir.resolve("certs/nope.pem") + " does not exist",
                "test.yaml:13:33: connections.site.remote.cacerts[1]: CA certificate file " + dir.resolve("certs/dir.pem")
                        + " is not a regular file");
    }

    @Test
    void privateKeyReadableByOthersIsRefusedLikeAPskFile() throws Exception {
        Path key = TestFiles.psk(dir, "private/gw-a.key", "key", "rw-r-----");
        assertThat(errors(BOTH_PUBKEY)).containsExactly("test.yaml:8:12: connections.site.local.key: private key file " + key
                + " is accessible by group or others (rw-r-----): run chmod 600 " + key);
    }

    @Test
    void emptyCertificateFileIsRefused() throws Exception {
        TestFiles.psk(dir, "certs/gw-a.pem", "", "rw-r--r--");
        assertThat(errors(BOTH_PUBKEY)).containsExactly("test.yaml:7:13: connections.site.local.cert: certificate file "
                + dir.resolve("certs/gw-a.pem") + " is empty");
    }

    @Test
    void unreadablePassphraseFileIsRefused() throws Exception {
        Path pass = TestFiles.psk(dir, "private/gw-a.pass", "x", "rw-rw-rw-");
        assertThat(errors(BOTH_PUBKEY.replace("key: private/gw-a.key", "key: private/gw-a.key\n      key_passphrase: { file: private/gw-a.pass }")))
                .containsExactly("test.yaml:9:31: connections.site.local.key_passphrase.file: passphrase file " + pass
                        + " is accessible by group or others (rw-rw-rw-): run chmod 600 " + pass);
    }

    @Test
    void remotePubkeyNeedsCacerts() {
        assertThat(errors(BOTH_PUBKEY.replace("      cacerts: [certs/root.pem]\n", ""))).containsExactly(
                "test.yaml:9:5: connections.site.remote: missing required key 'cacerts' (auth is pubkey: the CA certificates the peer's certificate must chain to)");
        assertThat(errors(BOTH_PUBKEY.replace("[certs/root.pem]", "[]"))).containsExactly(
                "test.yaml:13:16: connections.site.remote.cacerts: expected at least one CA certificate file, found none");
    }

    @Test
    void pskNextToTwoPubkeySidesIsRefused() throws Exception {
        TestFiles.psk(dir, "site.psk", TestFiles.PSK, "rw-------");
        assertThat(errors(BOTH_PUBKEY + "    psk: { file: site.psk }\n")).containsExactly(
                "test.yaml:15:5: connections.site.psk: 'psk' is not used: local and remote both authenticate with auth: pubkey; remove it");
    }

    @Test
    void certificateKeysOnAPskSideAreRefused() {
        assertThat(errors("""
                connections:
                  site:
                    local: { address: 192.0.2.1, cert: certs/gw-a.pem }
                    remote: { address: 192.0.2.2, cacerts: [certs/root.pem] }
                    psk: { env: TEST_PSK }
                """)).containsExactly(
                "test.yaml:3:34: connections.site.local.cert: 'cert' is only used with auth: pubkey, but auth is psk",
                "test.yaml:4:35: connections.site.remote.cacerts: 'cacerts' is only used with auth: pubkey, but auth is psk");
    }

    @Test
    void mixedSidesNeedThePskForThePskSide() {
        String mixed = BOTH_PUBKEY.replace("      auth: pubkey\n      cert: certs/gw-a.pem\n      key: private/gw-a.key\n", "");
        assertThat(errors(mixed)).containsExactly("test.yaml:2:3: connections.site: missing required key 'psk' (auth is psk)");
        Connection c = TestFiles.valid(mixed + "    psk: { env: TEST_PSK }\n", dir).connections().get("site");
        assertThat(c.local().auth()).isEqualTo(AuthMethod.PSK);
        assertThat(c.remote().auth()).isEqualTo(AuthMethod.PUBKEY);
        assertThat(c.psk()).isPresent();
    }

    @Test
    void classicRsaCannotUsePss() {
        assertThat(errors(BOTH_PUBKEY.replace("key: private/gw-a.key", "key: private/gw-a.key\n      signature: classic\n      rsa_padding: pss")))
                .containsExactly("test.yaml:10:20: connections.site.local.rsa_padding: rsa_padding pss needs signature rfc7427: "
                        + "the classic RSA method (signature: classic) only carries PKCS#1 v1.5 signatures; expected pkcs1");
    }

    @Test
    void aRenewedCertificateBehindTheSameNameChangesTheConnection() throws Exception {
        Config before = TestFiles.valid(BOTH_PUBKEY, dir);
        assertThat(ConfigDiff.between(before, TestFiles.valid(BOTH_PUBKEY, dir)).isEmpty()).isTrue();
        TestFiles.psk(dir, "certs/gw-a.pem", "renewed", "rw-r--r--");
        ConfigDiff diff = ConfigDiff.between(before, TestFiles.valid(BOTH_PUBKEY, dir));
        assertThat(diff.changed()).containsExactly("site");
        assertThat(Optional.of(diff)).isPresent();
    }
}
