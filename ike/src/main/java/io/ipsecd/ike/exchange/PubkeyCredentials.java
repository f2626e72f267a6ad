package io.ipsecd.ike.exchange;

import io.ipsecd.conf.AuthMethod;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.CredentialFile;
import io.ipsecd.conf.LocalCertificate;
import io.ipsecd.conf.RsaPadding;
import io.ipsecd.conf.Secret;
import io.ipsecd.conf.SignatureFormat;
import io.ipsecd.conf.TrustStore;
import io.ipsecd.ike.auth.CredentialException;
import io.ipsecd.ike.auth.CredentialLoader;
import io.ipsecd.ike.auth.CrlFetcher;
import io.ipsecd.ike.auth.IdentityMatcher;
import io.ipsecd.ike.auth.LocalCredential;
import io.ipsecd.ike.auth.SignatureOptions;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parsed certificates, keys and CRLs of the {@code auth: pubkey} connections, loaded when the
 * connections are (re)loaded: conf only checked that the files are there. A connection whose files
 * do not parse, or whose key does not belong to its certificate, is kept as {@link Entry.Broken}:
 * the admin hears why at once, that tunnel cannot authenticate, and the other tunnels go on.
 */
final class PubkeyCredentials {
    private static final Logger log = LoggerFactory.getLogger("ike");

    /** What one connection authenticates with. */
    sealed interface Entry {
        /**
         * @param own     our key and chain (end entity first) when local.auth is pubkey
         * @param cacerts  the certificates of remote.cacerts (empty when remote.auth is psk)
         * @param crlFetch remote.crl_fetch: also check the CRLs of the distribution points the peer's certificates name
         */
        record Ready(Optional<LocalCredential> own, SignatureOptions options, List<X509Certificate> cacerts,
                     List<X509CRL> crls, boolean crlFetch, Optional<String> warning) implements Entry {
        }

        /** The files did not load; {@code message} says which and what to check. */
        record Broken(String message) implements Entry {
        }
    }

    private static final Entry NONE = new Entry.Ready(Optional.empty(), SignatureOptions.DEFAULT, List.of(), List.of(),
            false, Optional.empty());

    /** By connection name: the connection the entry was loaded for (equal again means same files, same content). */
    private final Map<String, Connection> loadedFor = new HashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    /** Shared by every connection with crl_fetch: one cache of fetched CRLs, by URI. */
    final CrlFetcher crlFetcher = new CrlFetcher();

    /**
     * Loads what changed; returns, by name, the messages of the connections loaded now that failed
     * to load, or that loaded with a warning (a local.id its certificate does not name).
     */
    Map<String, String> load(Collection<Connection> connections) {
        Map<String, String> broken = new HashMap<>();
        Map<String, Connection> keep = new HashMap<>();
        for (Connection c : connections) {
            keep.put(c.name(), c);
            if (!c.equals(loadedFor.get(c.name()))) {
                Entry e = read(c);
                entries.put(c.name(), e);
                loadedFor.put(c.name(), c);
                if (e instanceof Entry.Broken(String message)) broken.put(c.name(), message);
                if (e instanceof Entry.Ready r && r.warning().isPresent()) broken.put(c.name(), r.warning().get());
            }
        }
        loadedFor.keySet().retainAll(keep.keySet());
        entries.keySet().retainAll(keep.keySet());
        return broken;
    }

    /** The entry of {@code c}, loading it if it was never loaded (a connection initiated without {@link #load}). */
    Entry of(Connection c) {
        if (!c.equals(loadedFor.get(c.name()))) {
            entries.put(c.name(), read(c));
            loadedFor.put(c.name(), c);
        }
        return entries.get(c.name());
    }

    static boolean uses(Connection c) {
        return c.local().auth() == AuthMethod.PUBKEY || c.remote().auth() == AuthMethod.PUBKEY;
    }

    private static Entry read(Connection c) {
        if (!uses(c)) return NONE;
        try {
            Optional<LocalCredential> own = c.local().certificate().isPresent()
                    ? Optional.of(own(c.local().certificate().get())) : Optional.empty();
            List<X509Certificate> cacerts = new ArrayList<>();
            List<X509CRL> crls = new ArrayList<>();
            Optional<TrustStore> trust = c.remote().trustStore();
            if (trust.isPresent()) {
                for (CredentialFile f : trust.get().cacerts()) cacerts.addAll(CredentialLoader.certificates(f.path()));
                for (CredentialFile f : trust.get().crls()) crls.add(CredentialLoader.crl(f.path()));
            }
            // the peer checks our ID against our certificate (as we do its): say now what it will refuse later
            Optional<String> warning = own.flatMap(o -> IdentityMatcher.mismatch(c.local().id(), o.certificate()))
                    .map(m -> "tunnel " + c.name() + ": local.id " + c.local().id() + " is not a name of its certificate "
                            + c.local().certificate().get().cert().path() + ", so peers will refuse it ("
                            + m.replace("peer identity", "identity") + "); set local.id to a name in the certificate");
            SignatureOptions options = c.local().certificate().map(PubkeyCredentials::options).orElse(SignatureOptions.DEFAULT);
            own.ifPresent(o -> log.info("{}: authenticating with certificate {} ({} in chain)", c.name(),
                    o.certificate().getSubjectX500Principal().getName(), o.chain().size()));
            return new Entry.Ready(own, options, List.copyOf(cacerts), List.copyOf(crls),
                    trust.map(TrustStore::crlFetch).orElse(false), warning);
        } catch (CredentialException e) {
            return new Entry.Broken("tunnel " + c.name() + " cannot use its certificates: " + e.getMessage()
                    + "; fix the file and reload (the other tunnels are not affected)");
        }
    }

    private static LocalCredential own(LocalCertificate cert) throws CredentialException {
        List<X509Certificate> chain = new ArrayList<>(CredentialLoader.certificates(cert.cert().path()));
        for (CredentialFile f : cert.intermediates()) chain.addAll(CredentialLoader.certificates(f.path()));
        char[] passphrase = cert.keyPassphrase().map(PubkeyCredentials::chars).orElse(null);
        try {
            PrivateKey key = CredentialLoader.privateKey(cert.key().path(), Optional.ofNullable(passphrase));
            try {
                return CredentialLoader.credential(key, chain);
            } catch (CredentialException e) {
                throw new CredentialException("key file " + cert.key().path() + " and certificate file " + cert.cert().path()
                        + ": " + e.getMessage());
            }
        } finally {
            if (passphrase != null) Arrays.fill(passphrase, '\0');
        }
    }

    private static char[] chars(Secret secret) {
        byte[] bytes = secret.bytes();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
            char[] out = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return out;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static SignatureOptions options(LocalCertificate cert) {
        return new SignatureOptions(cert.signature() == SignatureFormat.CLASSIC, cert.rsaPadding() == RsaPadding.PKCS1);
    }
}
