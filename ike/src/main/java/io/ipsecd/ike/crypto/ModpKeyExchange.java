package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.math.BigInteger;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.generators.DHKeyPairGenerator;
import org.bouncycastle.crypto.params.DHKeyGenerationParameters;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.crypto.params.DHPrivateKeyParameters;
import org.bouncycastle.crypto.params.DHPublicKeyParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * Finite-field Diffie-Hellman over the RFC 2409/3526 MODP groups, from Bouncy Castle's
 * {@link DHStandardGroups}. Public values and the shared secret are big-endian, left-padded to the
 * modulus length (RFC 7296 §3.4, §2.14).
 */
final class ModpKeyExchange implements DiffieHellman {
    private final KeyExchangeMethod method;
    private final DHParameters group;
    private BigInteger privateValue;
    private final Bytes publicValue;

    ModpKeyExchange(KeyExchangeMethod method, RandomSource random) {
        this.method = method;
        this.group = group(method);
        DHKeyPairGenerator generator = new DHKeyPairGenerator();
        generator.init(new DHKeyGenerationParameters(random.asSecureRandom(), group));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        this.privateValue = ((DHPrivateKeyParameters) pair.getPrivate()).getX();
        this.publicValue = pad(((DHPublicKeyParameters) pair.getPublic()).getY());
    }

    ModpKeyExchange(KeyExchangeMethod method, byte[] privateKey) {
        this.method = method;
        this.group = group(method);
        this.privateValue = new BigInteger(1, privateKey);
        this.publicValue = pad(group.getG().modPow(privateValue, group.getP()));
    }

    static DHParameters group(KeyExchangeMethod method) {
        return switch (method) {
            case MODP_1024 -> DHStandardGroups.rfc2409_1024;
            case MODP_1536 -> DHStandardGroups.rfc3526_1536;
            case MODP_2048 -> DHStandardGroups.rfc3526_2048;
            case MODP_3072 -> DHStandardGroups.rfc3526_3072;
            case MODP_4096 -> DHStandardGroups.rfc3526_4096;
            default -> throw new IllegalArgumentException(method + " is not a supported MODP group");
        };
    }

    private int modulusBytes() {
        return (group.getP().bitLength() + 7) / 8;
    }

    private Bytes pad(BigInteger value) {
        return Bytes.of(BigIntegers.asUnsignedByteArray(modulusBytes(), value));
    }

    @Override
    public KeyExchangeMethod method() {
        return method;
    }

    @Override
    public Bytes initiatorShare() {
        return publicValue;
    }

    @Override
    public SecretBytes agree(Bytes peer) throws InvalidKeyExchangeException {
        if (privateValue == null) {
            throw new IllegalStateException("key exchange was destroyed");
        }
        if (peer.length() != modulusBytes()) {
            throw new InvalidKeyExchangeException(method + " public value is " + peer.length() + " bytes, must be "
                    + modulusBytes());
        }
        BigInteger p = group.getP();
        BigInteger y = new BigInteger(1, peer.toArray());
        // RFC 6989 §2.1: for safe-prime groups, 1 < y < p-1 rules out the small subgroups.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
            throw new InvalidKeyExchangeException(method + " public value is out of range (must be 1 < y < p-1)");
        }
        return SecretBytes.wrap(BigIntegers.asUnsignedByteArray(modulusBytes(), y.modPow(privateValue, p)));
    }

    /** BigInteger is immutable and cannot be wiped; dropping the reference is all we can do. */
    @Override
    public void destroy() {
        privateValue = null;
    }

    @Override
    public boolean isDestroyed() {
        return privateValue == null;
    }
}
