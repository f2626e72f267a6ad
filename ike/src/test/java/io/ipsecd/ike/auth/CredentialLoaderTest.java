package io.ipsecd.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.auth.TestPki.Issued;
import io.ipsecd.ike.auth.TestPki.KeyType;
import io.ipsecd.ike.auth.TestPki.Spec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading certificates, keys and CRLs from files OpenSSL and Bouncy Castle wrote, and every refusal's message. */
class CredentialLoaderTest {
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2035-01-01T00:00:00Z");
    private static final String PASS = "correct horse battery staple";

    @TempDir
    static Path dir;
    private static Issued root;
    private static Issued gateway;

    @BeforeAll
    static void pki() {
        root = TestPki.selfSigned(new Spec("CN=Loader Root", FROM, TO, true, TestPki.CA_USAGE), TestPki.keys(KeyType.RSA));
        gateway = TestPki.issuedBy(root, new Spec("CN=gw.example.com", FROM, TO, false, TestPki.GATEWAY_USAGE),
                TestPki.keys(KeyType.ECDSA_P384));
    }

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl timed out: " + command);
        }
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    }

    private static Path privateFile(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void pemAndDerCertificates() throws Exception {
        Path pemFile = Files.writeString(dir.resolve("gw.pem"), pem("CERTIFICATE", gateway.cert().getEncoded()));
        Path derFile = Files.write(dir.resolve("gw.der"), gateway.cert().getEncoded());

        assertThat(CredentialLoader.certificates(pemFile)).containsExactly(gateway.cert());
        assertThat(CredentialLoader.certificates(derFile)).containsExactly(gateway.cert());
    }

    @Test
    void chainInOnePemKeepsFileOrderAndSkipsText() throws Exception {
        Path chain = Files.writeString(dir.resolve("chain.pem"), "subject=CN = gw.example.com\n"
                + pem("CERTIFICATE", gateway.cert().getEncoded()) + "issuer: root\n" + pem("CERTIFICATE", root.cert().getEncoded()));

        assertThat(CredentialLoader.certificates(chain)).containsExactly(gateway.cert(), root.cert());
    }

    @Test
    void opensslKeysOfEveryTypeAndFormat() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec.pem");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec.pem", "-outform", "DER", "-out", "ec.der");
        openssl("pkey", "-in", "ec.pem", "-outform", "DER", "-out", "ec-legacy.der");
        openssl("pkey", "-in", "rsa.pem", "-outform", "DER", "-traditional", "-out", "rsa-legacy.der");
        openssl("pkey", "-in", "ec.pem", "-traditional", "-out", "ec-legacy.pem");
        openssl("pkey", "-in", "rsa.pem", "-traditional", "-out", "rsa-legacy.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ed.pem", "-passout", "pass:" + PASS, "-out", "ed-enc.pem");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec.pem", "-passout", "pass:" + PASS, "-outform", "DER",
                "-out", "ec-enc.der");

        assertThat(Files.readString(dir.resolve("rsa-legacy.pem"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("ec-legacy.pem"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("ed-enc.pem"))).contains("BEGIN ENCRYPTED PRIVATE KEY");
        BigInteger ec = ((ECPrivateKey) load("ec.pem", null)).getS();
        for (String file : List.of("ec.der", "ec-legacy.pem", "ec-legacy.der")) {
            assertThat(((ECPrivateKey) load(file, null)).getS()).as(file).isEqualTo(ec);
        }
        assertThat(((ECPrivateKey) load("ec-enc.der", PASS)).getS()).isEqualTo(ec);
        BigInteger rsa = ((RSAPrivateKey) load("rsa.pem", null)).getPrivateExponent();
        for (String file : List.of("rsa-legacy.pem", "rsa-legacy.der")) {
            assertThat(((RSAPrivateKey) load(file, null)).getPrivateExponent()).as(file).isEqualTo(rsa);
        }
        assertThat(((EdECPrivateKey) load("ed-enc.pem", PASS)).getBytes().orElseThrow())
                .isEqualTo(((EdECPrivateKey) load("ed.pem", null)).getBytes().orElseThrow());
    }

    private static PrivateKey load(String name, String passphrase) throws Exception {
        return CredentialLoader.privateKey(privateFile(name), Optional.ofNullable(passphrase).map(String::toCharArray));
    }

    @Test
    void encryptedKeyWithWrongOrMissingPassphrase() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p256.pem");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "p256.pem", "-passout", "pass:" + PASS, "-out", "p256-enc.pem");
        Path file = privateFile("p256-enc.pem");

        assertThatThrownBy(() -> CredentialLoader.privateKey(file, Optional.of("wrong".toCharArray())))
                .isInstanceOf(CredentialException.class)
                .hasMessage("cannot decrypt private key file " + file + ": the passphrase is wrong or the file is damaged;"
                        + " check the passphrase file");
        assertThatThrownBy(() -> CredentialLoader.privateKey(file, Optional.empty()))
                .hasMessageContaining(file + " is encrypted but no passphrase is configured");
    }

    @Test
    void keyReadableByOthersIsRefused() throws Exception {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "open.pem");
        Path file = dir.resolve("open.pem");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> CredentialLoader.privateKey(file, Optional.empty()))
                .hasMessage("private key file " + file + " is accessible to group or others (mode rw-r--r--);"
                        + " run chmod 600 " + file);
    }

    @Test
    void opensslCertificateAndKeyPairUp() throws Exception {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "pair.key");
        openssl("req", "-x509", "-new", "-key", "pair.key", "-subj", "/CN=pair.example.com", "-days", "30", "-out", "pair.crt");
        privateFile("pair.key");

        LocalCredential credential = CredentialLoader.load(dir.resolve("pair.crt"), dir.resolve("pair.key"), Optional.empty());

        assertThat(credential.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=pair.example.com");
        assertThat(credential.toString()).doesNotContain("key=");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        assertThatThrownBy(() -> CredentialLoader.credential(root.keys().getPrivate(), List.of(gateway.cert())))
                .hasMessage("the private key (RSA 2048-bit) does not belong to certificate CN=gw.example.com"
                        + " (ECDSA P-384); check the key and cert files are a pair (their public keys must be equal:"
                        + " openssl pkey -pubout / openssl x509 -pubkey)");
        Issued sameType = TestPki.issuedBy(root, new Spec("CN=other", FROM, TO, false, TestPki.GATEWAY_USAGE),
                TestPki.keys(KeyType.ECDSA_P384));
        assertThatThrownBy(() -> CredentialLoader.credential(sameType.keys().getPrivate(), List.of(gateway.cert())))
                .hasMessageContaining("does not belong to certificate CN=gw.example.com");
        assertThat(CredentialLoader.credential(gateway.keys().getPrivate(), List.of(gateway.cert(), root.cert())).chain())
                .containsExactly(gateway.cert(), root.cert());
    }

    @Test
    void garbageAndMissingFilesGetClearMessages() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.bin"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x05, 0x42});
        Path text = Files.writeString(dir.resolve("notes.txt"), "-----BEGIN CERTIFICATE-----\nnot base64 !!\n");
        Path keyAsCert = Files.writeString(dir.resolve("wrong.pem"), pem("CERTIFICATE", gateway.cert().getEncoded()));
        privateFile("wrong.pem");
        privateFile("garbage.bin");

        assertMessage(() -> CredentialLoader.certificates(garbage), "certificate file " + garbage
                + " is neither a PEM nor a DER X.509 certificate");
        assertMessage(() -> CredentialLoader.certificates(text), "certificate file " + text + " is not valid PEM");
        assertMessage(() -> CredentialLoader.privateKey(garbage, Optional.empty()), "private key file " + garbage
                + " is neither PEM nor a DER PKCS#8 key");
        assertMessage(() -> CredentialLoader.privateKey(keyAsCert, Optional.empty()), "private key file " + keyAsCert
                + " holds no private key block");
        assertMessage(() -> CredentialLoader.crl(garbage), "CRL file " + garbage + " is neither a PEM nor a DER X.509 CRL");
        assertMessage(() -> CredentialLoader.certificates(dir.resolve("absent.pem")), "certificate file "
                + dir.resolve("absent.pem") + " does not exist; check the path");
        assertMessage(() -> CredentialLoader.privateKey(dir.resolve("absent.key"), Optional.empty()), "private key file "
                + dir.resolve("absent.key") + " does not exist; check the path");
    }

    private static void assertMessage(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String start) {
        assertThatThrownBy(call).isInstanceOf(CredentialException.class).hasMessageStartingWith(start)
                .message().doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("\n");
    }

    @Test
    void pemAndDerCrls() throws Exception {
        X509CRL crl = TestPki.crl(root, FROM, FROM, gateway.cert());
        Path pemFile = Files.writeString(dir.resolve("root.crl.pem"), pem("X509 CRL", crl.getEncoded()));
        Path derFile = Files.write(dir.resolve("root.crl"), crl.getEncoded());

        X509CRL fromPem = CredentialLoader.crl(pemFile);
        assertThat(fromPem).isEqualTo(crl);
        assertThat(CredentialLoader.crl(derFile)).isEqualTo(crl);
        assertThat(fromPem.isRevoked(gateway.cert())).isTrue();
        X509Certificate notRevoked = root.cert();
        assertThat(fromPem.isRevoked(notRevoked)).isFalse();
    }
}
