package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@link KeyExchange}s for the supported methods. */
public final class KeyExchanges {
    private static final Set<KeyExchangeMethod> SUPPORTED = EnumSet.of(
            KeyExchangeMethod.MODP_1024, KeyExchangeMethod.MODP_1536, KeyExchangeMethod.MODP_2048,
            KeyExchangeMethod.MODP_3072, KeyExchangeMethod.MODP_4096, KeyExchangeMethod.ECP_256,
            KeyExchangeMethod.ECP_384, KeyExchangeMethod.ECP_521, KeyExchangeMethod.CURVE25519,
            KeyExchangeMethod.CURVE448, KeyExchangeMethod.ML_KEM_512, KeyExchangeMethod.ML_KEM_768,
            KeyExchangeMethod.ML_KEM_1024);

    /** Whether weak MODP groups (2, 5) may be created: only when configuration explicitly asks. */
    public enum WeakGroups { REFUSE, ALLOW }

    private KeyExchanges() {
    }

    public static boolean isSupported(KeyExchangeMethod method) {
        return SUPPORTED.contains(method);
    }

    /** A fresh key pair. Unsupported methods, and weak ones under {@link WeakGroups#REFUSE}, are programming errors. */
    public static KeyExchange create(KeyExchangeMethod method, RandomSource random, WeakGroups weak) {
        check(method, weak);
        return switch (method) {
            case CURVE25519, CURVE448 -> new XdhKeyExchange(method, random);
            case ECP_256, ECP_384, ECP_521 -> new EcpKeyExchange(method, random);
            case ML_KEM_512, ML_KEM_768, ML_KEM_1024 -> new MlKemKeyExchange(method, random);
            default -> new ModpKeyExchange(method, random);
        };
    }

    public static KeyExchange create(KeyExchangeMethod method, RandomSource random) {
        return create(method, random, WeakGroups.REFUSE);
    }

    /**
     * A key exchange with a given private key (big-endian scalar; RFC 7748 byte string for X25519/X448;
     * the 64-byte seed d || z for ML-KEM): for test vectors.
     */
    public static KeyExchange withPrivateKey(KeyExchangeMethod method, byte[] privateKey, WeakGroups weak) {
        check(method, weak);
        return switch (method) {
            case CURVE25519, CURVE448 -> new XdhKeyExchange(method, privateKey);
            case ECP_256, ECP_384, ECP_521 -> new EcpKeyExchange(method, privateKey, null);
            case ML_KEM_512, ML_KEM_768, ML_KEM_1024 -> MlKemKeyExchange.fromSeed(method, privateKey);
            default -> new ModpKeyExchange(method, privateKey);
        };
    }

    private static void check(KeyExchangeMethod method, WeakGroups weak) {
        if (!isSupported(method)) {
            throw new IllegalArgumentException(method + " is not implemented");
        }
        if (method.isWeak() && weak != WeakGroups.ALLOW) {
            throw new IllegalArgumentException(method + " is weak and was not explicitly allowed");
        }
    }
}
