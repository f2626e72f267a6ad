package io.ipsecd.conf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the local side of an {@code auth: pubkey} connection authenticates with.
 *
 * @param cert          its certificate (PEM or DER); a PEM file may hold the intermediates after it
 * @param intermediates further CA certificates sent to the peer with it
 * @param key           the private key (PKCS#8, PEM or DER, possibly encrypted)
 * @param keyPassphrase the passphrase of an encrypted key
 */
public record LocalCertificate(CredentialFile cert, List<CredentialFile> intermediates, CredentialFile key,
                               Optional<Secret> keyPassphrase, SignatureFormat signature, RsaPadding rsaPadding) {
    public LocalCertificate {
        Objects.requireNonNull(cert, "cert");
        intermediates = List.copyOf(intermediates);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyPassphrase, "keyPassphrase");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(rsaPadding, "rsaPadding");
    }
}
