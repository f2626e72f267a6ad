package io.ipsecd.ike.auth;

import io.ipsecd.ike.auth.SignaturePrimitives.EcKind;
import io.ipsecd.ike.auth.SignaturePrimitives.Ed25519Kind;
import io.ipsecd.ike.auth.SignaturePrimitives.KeyKind;
import io.ipsecd.ike.auth.SignaturePrimitives.RsaKind;
import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Signature AUTH payloads (RFC 7296 §2.15): RFC 7427 digital signatures (method 14) and, for
 * older peers, the classic methods 1 (RSA PKCS#1 v1.5 with SHA-1) and 9/10/11 (ECDSA over
 * P-256/384/521, RFC 4754). The signed octets come from the exchange package's
 * {@code SaKeying.signedOctets}; this class only turns them into AUTH data and back.
 *
 * <p>RFC 7427 data is a one-octet length, the DER AlgorithmIdentifier, then the signature.
 */
public final class SignatureAuth {
    public static final int ECDSA_SHA256_P256 = AuthPayload.ECDSA_SHA256_P256;
    public static final int ECDSA_SHA384_P384 = AuthPayload.ECDSA_SHA384_P384;
    public static final int ECDSA_SHA512_P521 = AuthPayload.ECDSA_SHA512_P521;

    /** Hashes we announce and accept in RFC 7427, in our order of preference for RSA. */
    private static final List<SignatureHash> SHA2 = List.of(SignatureHash.SHA256, SignatureHash.SHA384, SignatureHash.SHA512);

    private SignatureAuth() {
    }

    /**
     * Signs our AUTH. RFC 7427 by default (RSA-PSS unless {@code rsaPkcs1}, ECDSA with the hash
     * fitting the curve, Ed25519 pure); the classic methods when {@code options.classic()}, except
     * for Ed25519, which has none and stays on RFC 7427.
     *
     * @param peerHashes RFC 7427 hash ids from the peer's SIGNATURE_HASH_ALGORITHMS; empty if it sent none
     */
    public static AuthValue sign(PrivateKey key, byte[] signedOctets, Set<Integer> peerHashes, SignatureOptions options)
            throws SignatureException {
        KeyKind kind = SignaturePrimitives.kind(key).orElseThrow(() -> new SignatureException(
                "cannot sign AUTH with a " + key.getAlgorithm() + " key; use an RSA, ECDSA P-256/384/521 or Ed25519 key"));
        try {
            if (options.classic() && !(kind instanceof Ed25519Kind)) return signClassic(key, kind, signedOctets);
            SignatureScheme scheme = chooseScheme(kind, peerHashes, options);
            byte[] algorithmId = SignatureScheme.encode(scheme);
            byte[] signature = SignaturePrimitives.sign(scheme, key, signedOctets);
            byte[] data = new byte[1 + algorithmId.length + signature.length];
            data[0] = (byte) algorithmId.length;
            System.arraycopy(algorithmId, 0, data, 1, algorithmId.length);
            System.arraycopy(signature, 0, data, 1 + algorithmId.length, signature.length);
            return new AuthValue(AuthPayload.DIGITAL_SIGNATURE, data);
        } catch (GeneralSecurityException e) {
            throw new SignatureException("signing AUTH with the " + kind.describe() + " key failed: " + e.getMessage(), e);
        }
    }

    private static AuthValue signClassic(PrivateKey key, KeyKind kind, byte[] octets) throws GeneralSecurityException,
            SignatureException {
        return switch (kind) {
            case RsaKind _ -> new AuthValue(AuthPayload.RSA_SIGNATURE,
                    SignaturePrimitives.sign(new SignatureScheme.RsaPkcs1(SignatureHash.SHA1), key, octets));
            case EcKind ec -> {
                int method = classicEcdsaMethod(ec).orElseThrow(() -> new SignatureException(
                        "no classic ECDSA AUTH method for " + ec.describe() + "; use RFC 7427 signatures"));
                BigInteger[] rs = SignaturePrimitives.ecdsaSign(ec.fittingHash(), (ECPrivateKey) key, octets);
                yield new AuthValue(method, SignaturePrimitives.fixedEcdsa(rs, ec.scalarLength()));
            }
            case Ed25519Kind _ -> throw new IllegalStateException("Ed25519 has no classic method");
        };
    }

    private static SignatureScheme chooseScheme(KeyKind kind, Set<Integer> peerHashes, SignatureOptions options)
            throws SignatureException {
        return switch (kind) {
            case RsaKind _ -> {
                SignatureHash hash = SHA2.stream().filter(h -> peerHashes.isEmpty() || peerHashes.contains(h.ikeId))
                        .findFirst().orElseThrow(() -> noHash(kind, peerHashes, "SHA2-256/384/512"));
                yield options.rsaPkcs1() ? new SignatureScheme.RsaPkcs1(hash) : SignatureScheme.RsaPss.of(hash);
            }
            case EcKind ec -> {
                SignatureHash fitting = ec.fittingHash();
                if (peerHashes.isEmpty() || peerHashes.contains(fitting.ikeId)) yield new SignatureScheme.Ecdsa(fitting);
                // the peer does not take the curve's own hash: the strongest SHA-2 it does take
                SignatureHash other = SHA2.reversed().stream().filter(h -> peerHashes.contains(h.ikeId)).findFirst()
                        .orElseThrow(() -> noHash(kind, peerHashes, "SHA2-256/384/512"));
                yield new SignatureScheme.Ecdsa(other);
            }
            case Ed25519Kind _ -> {
                if (!peerHashes.isEmpty() && !peerHashes.contains(SignatureHash.IDENTITY)) {
                    throw noHash(kind, peerHashes, "Identity (5, RFC 8420)");
                }
                yield new SignatureScheme.Ed25519();
            }
        };
    }

    private static SignatureException noHash(KeyKind kind, Set<Integer> peerHashes, String needed) {
        return new SignatureException("cannot sign AUTH with our " + kind.describe() + " key: the peer's"
                + " SIGNATURE_HASH_ALGORITHMS " + peerHashes + " holds none of " + needed
                + "; use another key type or the classic methods for this peer");
    }

    private static Optional<Integer> classicEcdsaMethod(EcKind ec) {
        return switch (ec.fieldBits()) {
            case 256 -> Optional.of(AuthPayload.ECDSA_SHA256_P256);
            case 384 -> Optional.of(AuthPayload.ECDSA_SHA384_P384);
            case 521 -> Optional.of(AuthPayload.ECDSA_SHA512_P521);
            default -> Optional.empty();
        };
    }

    /**
     * Verifies the peer's AUTH with the public key of its (already validated) certificate.
     * Accepts methods 1, 9, 10, 11 and 14; inside method 14 only the schemes we support, never SHA-1.
     */
    public static SignatureVerdict verify(PublicKey key, int method, byte[] data, byte[] signedOctets) {
        Optional<KeyKind> maybeKind = SignaturePrimitives.kind(key);
        if (maybeKind.isEmpty()) {
            return new SignatureVerdict.Invalid("the peer certificate holds a " + key.getAlgorithm()
                    + " key, which we cannot verify (RSA, ECDSA P-256/384/521 or Ed25519 expected)");
        }
        KeyKind kind = maybeKind.get();
        return switch (method) {
            case AuthPayload.RSA_SIGNATURE -> check(new SignatureScheme.RsaPkcs1(SignatureHash.SHA1), "classic method 1",
                    kind, key, data, signedOctets, false);
            case AuthPayload.ECDSA_SHA256_P256, AuthPayload.ECDSA_SHA384_P384, AuthPayload.ECDSA_SHA512_P521 ->
                    verifyClassicEcdsa(key, kind, method, data, signedOctets);
            case AuthPayload.DIGITAL_SIGNATURE -> verifyRfc7427(key, kind, data, signedOctets);
            default -> new SignatureVerdict.Invalid("the peer used AUTH method " + method
                    + ", which is not a signature method we accept (1, 9, 10, 11, 14)");
        };
    }

    private static SignatureVerdict verifyClassicEcdsa(PublicKey key, KeyKind kind, int method, byte[] data,
            byte[] octets) {
        int curve = switch (method) {
            case AuthPayload.ECDSA_SHA256_P256 -> 256;
            case AuthPayload.ECDSA_SHA384_P384 -> 384;
            default -> 521;
        };
        String label = "classic method " + method + " (ECDSA P-" + curve + ")";
        if (!(kind instanceof EcKind ec) || ec.fieldBits() != curve) {
            return new SignatureVerdict.Invalid("the peer signed with " + label + " but its certificate holds an "
                    + kind.describe() + " key; the method must match the certificate's curve (RFC 4754)");
        }
        if (data.length != 2 * ec.scalarLength()) {
            return new SignatureVerdict.Invalid("the peer's " + label + " signature is " + data.length
                    + " bytes, expected r|s of " + 2 * ec.scalarLength() + " bytes (RFC 4754)");
        }
        return check(new SignatureScheme.Ecdsa(ec.fittingHash()), label, kind, key, data, octets, true);
    }

    private static SignatureVerdict verifyRfc7427(PublicKey key, KeyKind kind, byte[] data, byte[] octets) {
        if (data.length < 2 || (data[0] & 0xff) == 0 || (data[0] & 0xff) >= data.length) {
            return new SignatureVerdict.Invalid("the peer's RFC 7427 AUTH data is malformed: its AlgorithmIdentifier"
                    + " length does not fit the " + data.length + "-byte payload");
        }
        int idLength = data[0] & 0xff;
        SignatureScheme scheme;
        try {
            scheme = SignatureScheme.decode(Arrays.copyOfRange(data, 1, 1 + idLength));
        } catch (SignatureScheme.UnsupportedScheme e) {
            return new SignatureVerdict.Invalid("the peer's RFC 7427 AUTH is refused: " + e.getMessage());
        }
        return check(scheme, "RFC 7427", kind, key, Arrays.copyOfRange(data, 1 + idLength, data.length), octets, false);
    }

    private static SignatureVerdict check(SignatureScheme scheme, String label, KeyKind kind, PublicKey key,
            byte[] signature, byte[] octets, boolean fixedLengthEcdsa) {
        String described = scheme.name() + " (" + label + ")";
        if (!SignaturePrimitives.fits(scheme, kind)) {
            return new SignatureVerdict.Invalid("the peer signed with " + described + " but its certificate holds an "
                    + kind.describe() + " key; check the peer uses the key of the certificate it sends");
        }
        try {
            if (SignaturePrimitives.verify(scheme, key, octets, signature, fixedLengthEcdsa)) {
                return new SignatureVerdict.Valid(described);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new SignatureVerdict.Invalid("the peer's " + described + " signature could not be checked with its "
                    + kind.describe() + " certificate key: " + e.getMessage());
        }
        return new SignatureVerdict.Invalid("the peer's " + described + " signature does not verify with its "
                + kind.describe() + " certificate key: the peer signs with a key that is not its certificate's,"
                + " or the signed data differ (ID payload, nonces); check the peer's key and certificate are a pair");
    }

    /** SIGNATURE_HASH_ALGORITHMS notify data we announce: SHA2-256, SHA2-384, SHA2-512, Identity. */
    public static Bytes hashAlgorithmsData() {
        int[] ids = {SignatureHash.SHA256.ikeId, SignatureHash.SHA384.ikeId, SignatureHash.SHA512.ikeId,
                SignatureHash.IDENTITY};
        byte[] out = new byte[2 * ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[2 * i] = (byte) (ids[i] >>> 8);
            out[2 * i + 1] = (byte) ids[i];
        }
        return Bytes.of(out);
    }

    /** The 16-bit hash ids in a peer's SIGNATURE_HASH_ALGORITHMS notify; a trailing odd byte is ignored. */
    public static Set<Integer> parseHashAlgorithms(Bytes data) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (int i = 0; i + 1 < data.length(); i += 2) {
            ids.add(data.get(i) << 8 | data.get(i + 1));
        }
        return Set.copyOf(ids);
    }
}
