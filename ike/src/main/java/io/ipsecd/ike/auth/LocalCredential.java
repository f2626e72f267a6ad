package io.ipsecd.ike.auth;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain, end entity first, as loaded from a connection's
 * {@code key} and {@code cert} files. Build it with {@link CredentialLoader#credential} so the key
 * is known to match the end-entity certificate.
 */
public record LocalCredential(PrivateKey key, List<X509Certificate> chain) {
    public LocalCredential {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) throw new IllegalArgumentException("a credential needs at least its own certificate");
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }

    @Override
    public String toString() {
        // never the key material
        return "LocalCredential[" + CertText.subject(certificate()) + ", chain of " + chain.size() + "]";
    }
}
