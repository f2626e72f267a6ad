/**
 * Certificate authentication: validating the peer's certificate chain against a connection's
 * trust store and matching the peer's IKE identity to the certificate.
 *
 * <p>{@link io.ipsecd.ike.auth.CertificateChainValidator} builds the chain from the peer's
 * end-entity certificate and the intermediates it sent (CERT payloads) up to a CA in the
 * connection's {@code cacerts}, then checks validity dates, basic constraints, key usage, CRLs
 * loaded from files and (with {@code crl_fetch}) from the certificates' http:// CRL distribution
 * points through {@link io.ipsecd.ike.auth.CrlFetcher}, which caches them until their nextUpdate,
 * the signatures (the JDK's PKIX validator), and the identity (subjectAltName
 * dNSName / iPAddress / rfc822Name, or the subject DN for a DN identity). Every refusal is an
 * {@link io.ipsecd.ike.auth.ChainVerdict.Invalid} whose message names the certificate and says
 * what to check, so IKE_AUTH can log it as is.
 *
 * <p>{@link io.ipsecd.ike.auth.SignatureAuth} makes and checks signature AUTH payloads: RFC 7427
 * (method 14: RSA-PSS, RSA PKCS#1 v1.5, ECDSA, Ed25519 with SHA-2 or "Identity") and the classic
 * methods 1 and 9/10/11 for older peers. It announces and parses SIGNATURE_HASH_ALGORITHMS.
 * {@link io.ipsecd.ike.auth.CredentialLoader} reads the certificate, key (PKCS#8, encrypted
 * PKCS#8, legacy OpenSSL) and CRL files with admin-facing errors and pairs key and certificate
 * into a {@link io.ipsecd.ike.auth.LocalCredential}. {@link io.ipsecd.ike.auth.CertRequests}
 * builds and matches CERTREQ CA key hashes.
 *
 * <p>IKE_AUTH uses all of this through {@code io.ipsecd.ike.exchange.PubkeyAuth} for connections
 * with {@code auth: pubkey}: the chain and identity first, then the AUTH signature with the
 * end-entity certificate's key. {@link io.ipsecd.ike.auth.DistinguishedNames} encodes DN
 * identities in strongSwan's RDN order and compares DNs written in either order.
 */
package io.ipsecd.ike.auth;
