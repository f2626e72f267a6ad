package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.Arrays;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * ML-KEM-512/768/1024 (FIPS 203) as an IKEv2 key exchange (draft-ietf-ipsecme-ikev2-mlkem): the
 * initiator's KE data is its encapsulation key, the responder answers with the ciphertext
 * encapsulated to it, and the shared secret is ML-KEM's 32-byte shared secret key. Bouncy Castle's
 * lightweight API does the lattice arithmetic.
 *
 * <p>The key pair is generated on first use of the initiator role: a responder only encapsulates,
 * so it never pays for a key generation it would throw away. The 64-byte seed (d || z, FIPS 203
 * Algorithm 19) is kept in an array we own and wiped by {@link #destroy()}; the expanded
 * decapsulation key lives in Bouncy Castle's parameter object, which we destroy too.
 *
 * <p>Peer data is checked as FIPS 203 §7.2/§7.3 require before use: the encapsulation key's length
 * and modulus check (every 12-bit coefficient below q), the ciphertext's length. A ciphertext of the
 * right length is never "invalid": decapsulation's implicit rejection turns a forged one into a
 * secret the two sides don't share, and the AUTH exchange then fails.
 */
final class MlKemKeyExchange implements KeyExchange {
    static final int SEED_BYTES = 64;
    static final int MESSAGE_BYTES = 32;
    private static final int Q = 3329;
    private static final int POLY_BYTES = 384;

    private final KeyExchangeMethod method;
    private final MLKEMParameters parameters;
    private final RandomSource random;
    private final int encapsulationKeyBytes;
    private final int ciphertextBytes;
    private byte[] seed;
    private MLKEMPrivateKeyParameters privateKey;
    private Bytes encapsulationKey;
    private boolean destroyed;

    MlKemKeyExchange(KeyExchangeMethod method, RandomSource random) {
        this(method, random, null);
    }

    /** A key pair from a fixed seed d || z (64 bytes): for test vectors. */
    static MlKemKeyExchange fromSeed(KeyExchangeMethod method, byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException(method + " seed (d || z) must be " + SEED_BYTES + " bytes");
        }
        return new MlKemKeyExchange(method, RandomSource.system(), seed.clone());
    }

    private MlKemKeyExchange(KeyExchangeMethod method, RandomSource random, byte[] seed) {
        this.method = method;
        this.parameters = switch (method) {
            case ML_KEM_512 -> MLKEMParameters.ml_kem_512;
            case ML_KEM_768 -> MLKEMParameters.ml_kem_768;
            case ML_KEM_1024 -> MLKEMParameters.ml_kem_1024;
            default -> throw new IllegalArgumentException(method + " is not an ML-KEM parameter set");
        };
        this.random = random;
        this.seed = seed;
        int k = parameters.getK();
        this.encapsulationKeyBytes = POLY_BYTES * k + 32;
        this.ciphertextBytes = parameters.getEncapsulationLength();
    }

    @Override
    public KeyExchangeMethod method() {
        return method;
    }

    @Override
    public synchronized Bytes initiatorShare() {
        checkAlive();
        if (encapsulationKey == null) {
            if (seed == null) {
                seed = random.bytes(SEED_BYTES);
            }
            privateKey = new MLKEMPrivateKeyParameters(parameters, seed);
            encapsulationKey = Bytes.of(privateKey.getPublicKey());
        }
        return encapsulationKey;
    }

    @Override
    public synchronized Response respond(Bytes initiatorShare) throws InvalidKeyExchangeException {
        checkAlive();
        MLKEMPublicKeyParameters peerKey = encapsulationKey(initiatorShare);
        byte[] m = random.bytes(MESSAGE_BYTES);
        try {
            SecretWithEncapsulation encapsulated = MLKEMGenerator.internalGenerateEncapsulated(peerKey, m);
            return new Response(Bytes.of(encapsulated.getEncapsulation()), SecretBytes.wrap(encapsulated.getSecret()));
        } finally {
            Arrays.fill(m, (byte) 0);
        }
    }

    @Override
    public synchronized SecretBytes complete(Bytes responderShare) throws InvalidKeyExchangeException {
        checkAlive();
        if (privateKey == null) {
            throw new IllegalStateException(method + ": complete() before initiatorShare(): there is no key pair to decapsulate with");
        }
        if (responderShare.length() != ciphertextBytes) {
            throw new InvalidKeyExchangeException(method + " ciphertext is " + responderShare.length()
                    + " bytes, must be " + ciphertextBytes + " (FIPS 203 §7.3); check that the peer negotiated the same ML-KEM parameter set");
        }
        return SecretBytes.wrap(new MLKEMExtractor(privateKey).extractSecret(responderShare.toArray()));
    }

    /** FIPS 203 §7.2 encapsulation key checks: type (length) and modulus. */
    private MLKEMPublicKeyParameters encapsulationKey(Bytes share) throws InvalidKeyExchangeException {
        if (share.length() != encapsulationKeyBytes) {
            throw new InvalidKeyExchangeException(method + " encapsulation key is " + share.length()
                    + " bytes, must be " + encapsulationKeyBytes + " (FIPS 203 §7.2); check that the peer negotiated the same ML-KEM parameter set");
        }
        byte[] ek = share.toArray();
        int polyVectorBytes = encapsulationKeyBytes - 32;
        for (int i = 0; i < polyVectorBytes; i += 3) {
            int b0 = ek[i] & 0xff;
            int b1 = ek[i + 1] & 0xff;
            int b2 = ek[i + 2] & 0xff;
            int low = b0 | (b1 & 0x0f) << 8;
            int high = b1 >>> 4 | b2 << 4;
            if (low >= Q || high >= Q) {
                throw new InvalidKeyExchangeException(method + " encapsulation key fails the FIPS 203 §7.2 modulus check: coefficient "
                        + Math.max(low, high) + " at byte " + i + " is not below q = " + Q
                        + "; the peer's ML-KEM implementation is faulty or the KE payload was altered");
            }
        }
        try {
            return new MLKEMPublicKeyParameters(parameters, ek);
        } catch (IllegalArgumentException e) {
            // Unreachable after the checks above unless Bouncy Castle adds a check of its own.
            throw new InvalidKeyExchangeException(method + " encapsulation key refused: " + e.getMessage());
        }
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("key exchange was destroyed");
        }
    }

    @Override
    public synchronized void destroy() {
        if (seed != null) {
            Arrays.fill(seed, (byte) 0);
            seed = null;
        }
        if (privateKey != null) {
            privateKey.destroy();
            privateKey = null;
        }
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }
}
