package io.ipsecd.conf;

import java.util.List;

/**
 * What the remote side of an {@code auth: pubkey} connection is checked against.
 *
 * @param cacerts the trusted CA certificates (at least one)
 * @param crls    CRLs; a certificate whose issuer has a CRL here is refused when listed in it
 */
public record TrustStore(List<CredentialFile> cacerts, List<CredentialFile> crls) {
    public TrustStore {
        cacerts = List.copyOf(cacerts);
        crls = List.copyOf(crls);
        if (cacerts.isEmpty()) throw new IllegalArgumentException("a trust store needs at least one CA certificate");
    }
}
