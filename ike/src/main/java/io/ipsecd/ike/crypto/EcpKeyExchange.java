package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDH over the NIST prime curves (RFC 5903): KE data is x | y, each padded to the field length,
 * without the 0x04 point-format prefix; the shared secret is the x coordinate of the product.
 */
final class EcpKeyExchange implements DiffieHellman {
    private final KeyExchangeMethod method;
    private final ECDomainParameters domain;
    private final int fieldBytes;
    private BigInteger privateValue;
    private final Bytes publicValue;

    EcpKeyExchange(KeyExchangeMethod method, RandomSource random) {
        this(method, null, random);
    }

    EcpKeyExchange(KeyExchangeMethod method, byte[] privateKey, RandomSource random) {
        this.method = method;
        X9ECParameters curve = CustomNamedCurves.getByName(switch (method) {
            case ECP_256 -> "secp256r1";
            case ECP_384 -> "secp384r1";
            case ECP_521 -> "secp521r1";
            default -> throw new IllegalArgumentException(method + " is not an ECP group");
        });
        this.domain = new ECDomainParameters(curve);
        this.fieldBytes = (curve.getCurve().getFieldSize() + 7) / 8;
        this.privateValue = privateKey != null ? new BigInteger(1, privateKey) : randomScalar(random);
        this.publicValue = encode(new FixedPointCombMultiplier().multiply(domain.getG(), privateValue));
    }

    /** Uniform in [1, n-1] by rejection sampling. */
    private BigInteger randomScalar(RandomSource random) {
        BigInteger n = domain.getN();
        int bytes = (n.bitLength() + 7) / 8;
        int excessBits = bytes * 8 - n.bitLength();
        while (true) {
            byte[] b = random.bytes(bytes);
            b[0] &= (byte) (0xff >>> excessBits);
            BigInteger d = new BigInteger(1, b);
            if (d.signum() > 0 && d.compareTo(n) < 0) {
                return d;
            }
        }
    }

    private Bytes encode(ECPoint point) {
        ECPoint p = point.normalize();
        byte[] out = new byte[2 * fieldBytes];
        BigIntegers.asUnsignedByteArray(p.getAffineXCoord().toBigInteger(), out, 0, fieldBytes);
        BigIntegers.asUnsignedByteArray(p.getAffineYCoord().toBigInteger(), out, fieldBytes, fieldBytes);
        return Bytes.of(out);
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
        if (peer.length() != 2 * fieldBytes) {
            throw new InvalidKeyExchangeException(method + " public value is " + peer.length() + " bytes, must be "
                    + 2 * fieldBytes);
        }
        byte[] raw = peer.toArray();
        BigInteger x = new BigInteger(1, raw, 0, fieldBytes);
        BigInteger y = new BigInteger(1, raw, fieldBytes, fieldBytes);
        BigInteger p = domain.getCurve().getField().getCharacteristic();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw new InvalidKeyExchangeException(method + " public value has a coordinate outside the field");
        }
        ECPoint point;
        try {
            // validatePoint refuses points not on the curve (RFC 6989 §2.3); these curves have
            // cofactor 1, so every curve point other than infinity is in the prime-order group.
            point = domain.getCurve().validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyExchangeException(method + " public value is not a point on the curve");
        }
        ECPoint shared = point.multiply(privateValue).normalize();
        if (shared.isInfinity()) {
            throw new InvalidKeyExchangeException(method + " shared point is the point at infinity");
        }
        return SecretBytes.wrap(BigIntegers.asUnsignedByteArray(fieldBytes, shared.getAffineXCoord().toBigInteger()));
    }

    @Override
    public void destroy() {
        privateValue = null;
    }

    @Override
    public boolean isDestroyed() {
        return privateValue == null;
    }
}
