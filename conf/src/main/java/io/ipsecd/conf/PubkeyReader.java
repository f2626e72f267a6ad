package io.ipsecd.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the certificate keys of {@code local} and {@code remote} for {@code auth: pubkey}: the
 * local certificate, key and signature choice, the remote trust store. Paths are resolved against
 * the config file's folder; the files are checked, not parsed.
 */
final class PubkeyReader {
    static final List<String> LOCAL_KEYS = List.of("cert", "intermediates", "key", "key_passphrase", "signature", "rsa_padding");
    static final List<String> REMOTE_KEYS = List.of("cacerts", "crls", "crl_fetch");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Problems problems;
    private final Path baseDir;
    private final Function<String, String> environment;
    private final ValueReader values;

    PubkeyReader(Problems problems, Path baseDir, Function<String, String> environment, ValueReader values) {
        this.problems = problems;
        this.baseDir = baseDir;
        this.environment = environment;
        this.values = values;
    }

    /** The local certificate when {@code pubkey}; with psk, any certificate key is reported as out of place. */
    Optional<LocalCertificate> local(MapView e, boolean pubkey) {
        if (!pubkey) {
            unused(e, LOCAL_KEYS);
            return Optional.empty();
        }
        int before = problems.count();
        Optional<CredentialFile> cert = required(e, "cert", "certificate file", false);
        List<CredentialFile> intermediates = files(e, "intermediates", "intermediate certificate file", false);
        Optional<CredentialFile> key = required(e, "key", "private key file", true);
        Optional<Secret> passphrase = passphrase(e.map("key_passphrase", List.of("file", "env")));
        SignatureFormat format = e.choice("signature", List.of("rfc7427", "classic"))
                .map(s -> s.equals("classic") ? SignatureFormat.CLASSIC : SignatureFormat.RFC7427).orElse(SignatureFormat.RFC7427);
        RsaPadding padding = e.choice("rsa_padding", List.of("pss", "pkcs1"))
                .map(s -> s.equals("pkcs1") ? RsaPadding.PKCS1 : RsaPadding.PSS).orElse(RsaPadding.PSS);
        if (format == SignatureFormat.CLASSIC && padding == RsaPadding.PSS && e.has("rsa_padding")) {
            problems.at(e.value("rsa_padding").get(), e.child("rsa_padding"), "rsa_padding pss needs signature rfc7427: "
                    + "the classic RSA method (signature: classic) only carries PKCS#1 v1.5 signatures; expected pkcs1");
        }
        if (format == SignatureFormat.CLASSIC) padding = RsaPadding.PKCS1;
        if (problems.count() != before || cert.isEmpty() || key.isEmpty()) return Optional.empty();
        return Optional.of(new LocalCertificate(cert.get(), intermediates, key.get(), passphrase, format, padding));
    }

    /** The remote trust store when {@code pubkey}; with psk, any trust-store key is reported as out of place. */
    Optional<TrustStore> remote(MapView e, boolean pubkey) {
        if (!pubkey) {
            unused(e, REMOTE_KEYS);
            return Optional.empty();
        }
        int before = problems.count();
        if (!e.has("cacerts")) e.missing("cacerts", " (auth is pubkey: the CA certificates the peer's certificate must chain to)");
        List<CredentialFile> cacerts = files(e, "cacerts", "CA certificate file", false);
        if (e.has("cacerts") && cacerts.isEmpty() && problems.count() == before) {
            problems.at(e.value("cacerts").get(), e.child("cacerts"), "expected at least one CA certificate file, found none");
        }
        List<CredentialFile> crls = files(e, "crls", "CRL file", false);
        boolean crlFetch = e.bool("crl_fetch").orElse(false);
        if (problems.count() != before || cacerts.isEmpty()) return Optional.empty();
        return Optional.of(new TrustStore(cacerts, crls, crlFetch));
    }

    private void unused(MapView e, List<String> keys) {
        for (String k : keys) {
            if (e.has(k)) problems.at(e.keyNode(k), e.child(k), "'" + k + "' is only used with auth: pubkey, but auth is psk");
        }
    }

    private Optional<CredentialFile> required(MapView e, String key, String what, boolean secret) {
        if (!e.has(key)) {
            e.missing(key, " (auth is pubkey)");
            return Optional.empty();
        }
        return e.scalar(key).flatMap(name -> check(name, e.value(key).get(), e.child(key), what, secret));
    }

    private List<CredentialFile> files(MapView e, String key, String what, boolean secret) {
        List<CredentialFile> out = new ArrayList<>();
        Optional<List<Node>> items = e.list(key);
        if (items.isEmpty()) return out;
        for (int i = 0; i < items.get().size(); i++) {
            Node item = items.get().get(i);
            String path = e.child(key) + "[" + i + "]";
            if (!(item instanceof ScalarNode s) || MapView.isNull(item)) {
                problems.at(item, path, "expected a file name, found " + MapView.describe(item));
                continue;
            }
            check(s.getValue(), item, path, what, secret).ifPresent(out::add);
        }
        return out;
    }

    private Optional<CredentialFile> check(String name, Node at, String path, String what, boolean secret) {
        Path resolved = baseDir.resolve(name);
        return values.report(secret ? CredentialFiles.privateFile(resolved, what) : CredentialFiles.publicFile(resolved, what), at, path);
    }

    private Optional<Secret> passphrase(MapView p) {
        if (p.broken() || p.entries().isEmpty()) return Optional.empty();
        if (p.has("file") && p.has("env")) {
            problems.at(p.anchor(), p.path(), "expected either 'file' or 'env', found both");
            return Optional.empty();
        }
        if (p.has("file")) {
            return p.scalar("file").flatMap(f -> values.report(SecretReader.passphraseFromFile(baseDir.resolve(f)),
                    p.value("file").get(), p.child("file")));
        }
        Optional<String> name = p.scalar("env");
        if (name.isEmpty()) return Optional.empty();
        Node at = p.value("env").get();
        if (!ENV_NAME.matcher(name.get()).matches()) {
            problems.at(at, p.child("env"), "expected an environment variable name like GW_KEY_PASS, found '" + name.get() + "'");
            return Optional.empty();
        }
        return values.report(SecretReader.passphraseFromEnv(name.get(), environment), at, p.child("env"));
    }
}
