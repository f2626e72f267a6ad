package io.ipsecd.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.auth.SignatureKeys.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our RFC 7427 signatures, stripped of the AlgorithmIdentifier, verified by OpenSSL 3: RSA-PSS
 * (randomised, so no fixed answer exists), RSA PKCS#1 v1.5, ECDSA (DER) and Ed25519.
 */
class OpensslCrossCheckTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} rsaPkcs1={1}")
    @CsvSource({
        "RSA, false, -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32",
        "RSA, true, -sha256",
        "P256, false, -sha256",
        "P384, false, -sha384",
        "P521, false, -sha512",
        "ED25519, false, ",
    })
    void opensslVerifiesOurSignature(Type type, boolean rsaPkcs1, String digestOptions) throws Exception {
        KeyPair keys = SignatureKeys.generate(type);
        byte[] octets = "IKE_SA_INIT | Nr | prf(SK_pi, IDi')".getBytes(StandardCharsets.US_ASCII);
        AuthValue auth = SignatureAuth.sign(keys.getPrivate(), octets, Set.of(), new SignatureOptions(false, rsaPkcs1));
        byte[] data = auth.data();
        byte[] signature = Arrays.copyOfRange(data, 1 + (data[0] & 0xff), data.length);

        Files.write(dir.resolve("msg"), octets);
        Files.write(dir.resolve("sig"), signature);
        Files.writeString(dir.resolve("pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        List<String> command = new ArrayList<>();
        if (type == Type.ED25519) {
            command.addAll(List.of("openssl", "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", "pub.pem", "-in", "msg",
                    "-sigfile", "sig"));
        } else {
            command.add("openssl");
            command.add("dgst");
            command.addAll(List.of(digestOptions.trim().split(" +")));
            command.addAll(List.of("-verify", "pub.pem", "-signature", "sig", "msg"));
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("%s", command).contains("Verified");
        assertThat(process.exitValue()).isZero();
    }
}
