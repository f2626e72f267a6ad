package io.ipsecd.ike.auth;

/**
 * How we sign our AUTH payload.
 *
 * @param classic  use the pre-RFC 7427 methods (1 RSA PKCS#1 v1.5 SHA-1, 9/10/11 ECDSA) for older
 *                 peers; Ed25519 has no classic method and always uses RFC 7427
 * @param rsaPkcs1 sign RFC 7427 RSA with PKCS#1 v1.5 instead of RSASSA-PSS
 */
public record SignatureOptions(boolean classic, boolean rsaPkcs1) {
    public static final SignatureOptions DEFAULT = new SignatureOptions(false, false);
}
