package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.IntegrityAlgorithm;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A truncated-HMAC integrity transform (RFC 4868, RFC 2404), keyed once per direction. */
public final class Integrity {
    private final IntegrityAlgorithm algorithm;
    private final Mac mac;

    public Integrity(IntegrityAlgorithm algorithm, SecretBytes key) {
        if (!algorithm.isSupported()) {
            throw new IllegalArgumentException(algorithm + " is not implemented");
        }
        if (key.length() != algorithm.keyBytes()) {
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyBytes() + "-byte key, got " + key.length());
        }
        this.algorithm = algorithm;
        byte[] k = key.copy();
        try {
            mac = Mac.getInstance(algorithm.jceName());
            mac.init(new SecretKeySpec(k, algorithm.jceName()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    public IntegrityAlgorithm algorithm() {
        return algorithm;
    }

    public int icvBytes() {
        return algorithm.icvBytes();
    }

    /** The ICV over {@code data[offset, offset+length)}: the HMAC truncated to the ICV length. */
    public byte[] compute(byte[] data, int offset, int length) {
        mac.update(data, offset, length);
        return Arrays.copyOf(mac.doFinal(), icvBytes());
    }

    /** Checks an ICV in constant time. */
    public boolean verify(byte[] data, int offset, int length, byte[] icv, int icvOffset) {
        byte[] expected = compute(data, offset, length);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(icv, icvOffset, icvOffset + icvBytes()));
    }
}
