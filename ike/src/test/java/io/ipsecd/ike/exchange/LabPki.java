package io.ipsecd.ike.exchange;

import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.ike.auth.TestPki;
import io.ipsecd.ike.auth.TestPki.Issued;
import io.ipsecd.ike.auth.TestPki.KeyType;
import io.ipsecd.ike.auth.TestPki.Spec;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A root CA, an intermediate and the two lab gateways' certificates (corp.example.net and
 * cloud.example.net, valid around {@link ScriptedLab#T0}), written as PEM files into a folder,
 * and the pubkey connections of {@link ScriptedLab} that use them.
 */
final class LabPki {
    static final Instant FROM = ScriptedLab.T0.minus(Duration.ofDays(1));
    static final Instant UNTIL = ScriptedLab.T0.plus(Duration.ofDays(365));

    final Path dir;
    final KeyType type;
    final Issued root;
    final Issued intermediate;
    final Issued corp;
    final Issued cloud;

    LabPki(Path dir, KeyType type) {
        this(dir, type, "CN=Lab Root " + type);
    }

    LabPki(Path dir, KeyType type, String rootName) {
        this.dir = dir;
        this.type = type;
        root = TestPki.selfSigned(new Spec(rootName, FROM, UNTIL, true, TestPki.CA_USAGE), TestPki.keys(type));
        intermediate = TestPki.issuedBy(root, new Spec("CN=Lab Intermediate " + type, FROM, UNTIL, true, TestPki.CA_USAGE),
                TestPki.keys(type));
        corp = gateway("C=CH, O=Lab, CN=corp.example.net", "corp.example.net");
        cloud = gateway("C=CH, O=Lab, CN=cloud.example.net", "cloud.example.net");
    }

    /** A gateway certificate from the intermediate with {@code san} as its DNS subjectAltName. */
    Issued gateway(String subject, String san) {
        return TestPki.issuedBy(intermediate, new Spec(subject, FROM, UNTIL, false, TestPki.GATEWAY_USAGE, TestPki.dns(san)),
                TestPki.keys(type));
    }

    /** Writes {@code objects} as PEM to {@code name} under the side's folder (mode 0600) and returns its path. */
    Path pem(String side, String name, Object... objects) {
        try {
            Files.createDirectories(dir.resolve(side));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                for (Object o : objects) {
                    w.writeObject(o instanceof java.security.PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
                }
            }
            Path f = dir.resolve(side).resolve(name);
            Files.writeString(f, out.toString());
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The side's folder: gateway.pem (its certificate, then the intermediate), gateway.key, root.pem. */
    Path writeGateway(String side, Issued gw) {
        pem(side, "gateway.pem", gw.cert(), intermediate.cert());
        pem(side, "gateway.key", gw.keys().getPrivate());
        pem(side, "root.pem", root.cert());
        return dir.resolve(side);
    }

    /** The side's key as encrypted PKCS#8 (AES-256-CBC, PBKDF2) under {@code passphrase}, and the passphrase file. */
    void encryptKey(String side, Issued gw, String passphrase) {
        try {
            var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                    org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPassword(passphrase.toCharArray()).build();
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(new JcaPKCS8Generator(gw.keys().getPrivate(), encryptor));
            }
            Path key = dir.resolve(side).resolve("gateway.key");
            Files.writeString(key, out.toString());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path pass = dir.resolve(side).resolve("gateway.pass");
            Files.writeString(pass, passphrase + "\n");
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both gateways' folders, "corp" and "cloud". */
    void writeBoth() {
        writeGateway("corp", corp);
        writeGateway("cloud", cloud);
    }

    /** intermediate.crl in the side's folder, revoking {@code gw} an hour after {@link #FROM}. */
    X509CRL revoke(String side, Issued gw) {
        X509CRL crl = TestPki.crl(intermediate, FROM, FROM.plus(Duration.ofHours(1)), gw.cert());
        pem(side, "intermediate.crl", crl);
        return crl;
    }

    /**
     * The lab connection "s2s" of one side with the files in {@code sideDir}: {@code local} is CORP or CLOUD,
     * {@code extraLocal}/{@code extraRemote} are more keys of local/remote (e.g. "crls: [x.crl]").
     */
    static Connection connection(Path sideDir, String local, String localId, String remoteId, String extraLocal,
                                 String extraRemote) {
        boolean corpSide = local.equals(ScriptedLab.CORP);
        String yaml = """
                connections:
                  s2s:
                    local: { address: %s, id: "%s", auth: pubkey, cert: gateway.pem, key: gateway.key%s }
                    remote: { address: "%s", id: "%s", auth: pubkey, cacerts: [root.pem]%s }
                    ike: { proposals: [aes256gcm16-prfsha384-x25519], dpd: { delay: 1h, timeout: 1h } }
                    children:
                      net: { local_ts: [%s], remote_ts: [%s], esp_proposals: [aes256gcm16] }
                """.formatted(local, localId, extraLocal.isEmpty() ? "" : ", " + extraLocal,
                corpSide ? ScriptedLab.CLOUD : ScriptedLab.CORP, remoteId, extraRemote.isEmpty() ? "" : ", " + extraRemote,
                corpSide ? "10.1.0.0/24" : "10.2.0.0/24", corpSide ? "10.2.0.0/24" : "10.1.0.0/24");
        LoadResult r = ConfigLoader.parse(yaml, "lab.yaml", sideDir, name -> null);
        if (!(r instanceof LoadResult.Valid valid)) {
            throw new AssertionError("lab config invalid: " + r + "\n" + yaml);
        }
        return valid.config().connections().get("s2s");
    }
}
