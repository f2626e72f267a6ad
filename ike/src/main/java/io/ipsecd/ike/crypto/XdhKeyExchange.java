package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc7748.X448;

/**
 * Curve25519 and Curve448 (RFC 8031 for IKEv2, RFC 7748 functions), via Bouncy Castle's RFC 7748
 * implementation. The private scalar stays in an array we own, so {@link #destroy()} can wipe it.
 * An all-zero shared secret (a small-order peer point) is refused (RFC 8031 §2.1).
 */
final class XdhKeyExchange implements DiffieHellman {
    private final KeyExchangeMethod method;
    private final int size;
    private final byte[] privateKey;
    private final Bytes publicValue;
    private boolean destroyed;

    XdhKeyExchange(KeyExchangeMethod method, byte[] privateKey) {
        this.method = method;
        this.size = switch (method) {
            case CURVE25519 -> X25519.SCALAR_SIZE;
            case CURVE448 -> X448.SCALAR_SIZE;
            default -> throw new IllegalArgumentException(method + " is not a Montgomery curve");
        };
        if (privateKey.length != size) {
            throw new IllegalArgumentException(method + " private key must be " + size + " bytes");
        }
        this.privateKey = privateKey.clone();
        byte[] pub = new byte[size];
        if (method == KeyExchangeMethod.CURVE25519) {
            X25519.scalarMultBase(this.privateKey, 0, pub, 0);
        } else {
            X448.scalarMultBase(this.privateKey, 0, pub, 0);
        }
        this.publicValue = Bytes.of(pub);
    }

    XdhKeyExchange(KeyExchangeMethod method, RandomSource random) {
        this(method, random.bytes(method == KeyExchangeMethod.CURVE448 ? X448.SCALAR_SIZE : X25519.SCALAR_SIZE));
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
        if (destroyed) {
            throw new IllegalStateException("key exchange was destroyed");
        }
        if (peer.length() != size) {
            throw new InvalidKeyExchangeException(method + " public value is " + peer.length() + " bytes, must be " + size);
        }
        byte[] shared = new byte[size];
        boolean nonZero = method == KeyExchangeMethod.CURVE25519
                ? X25519.calculateAgreement(privateKey, 0, peer.toArray(), 0, shared, 0)
                : X448.calculateAgreement(privateKey, 0, peer.toArray(), 0, shared, 0);
        if (!nonZero) {
            throw new InvalidKeyExchangeException(method + " shared secret is all zeros (small-order public value)");
        }
        return SecretBytes.wrap(shared);
    }

    @Override
    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
