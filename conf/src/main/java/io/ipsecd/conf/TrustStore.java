package io.ipsecd.conf;

import java.util.List;

/**
 * What the remote side of an {@code auth: pubkey} connection is checked against.
 *
 * @param cacerts  the trusted CA certificates (at least one)
 * @param crls     CRLs; a certificate whose issuer has a CRL here is refused when listed in it
 * @param crlFetch also fetch the CRL from the http:// distribution point each certificate names ({@code crl_fetch})
 */
public record TrustStore(List<CredentialFile> cacerts, List<CredentialFile> crls, boolean crlFetch) {
    /** Without fetching CRLs from distribution points (the default). */
    public TrustStore(List<CredentialFile> cacerts, List<CredentialFile> crls) {
        this(cacerts, crls, false);
    }

    public TrustStore {
        cacerts = List.copyOf(cacerts);
        crls = List.copyOf(crls);
        if (cacerts.isEmpty()) throw new IllegalArgumentException("a trust store needs at least one CA certificate");
    }
}
