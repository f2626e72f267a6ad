package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.PrfAlgorithm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The negotiated pseudo-random function and prf+ (RFC 7296 §2.13). HMAC PRFs come from the JDK:
 * they are constant-time, SHA-NI accelerated and need no provider.
 */
public final class Prf {
    /** prf+ stops at T255: the counter is one octet (RFC 7296 §2.13). */
    private static final int MAX_BLOCKS = 255;

    private final PrfAlgorithm algorithm;

    private Prf(PrfAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    public static Prf of(PrfAlgorithm algorithm) {
        if (!algorithm.isSupported()) {
            throw new IllegalArgumentException(algorithm + " is not implemented");
        }
        return new Prf(algorithm);
    }

    public PrfAlgorithm algorithm() {
        return algorithm;
    }

    public int outputBytes() {
        return algorithm.outputBytes();
    }

    /** prf(key, data[0] | data[1] | ...). HMAC accepts any key length, so Ni | Nr is used as is. */
    public byte[] apply(byte[] key, byte[]... data) {
        try {
            Mac mac = Mac.getInstance(algorithm.jceName());
            mac.init(new SecretKeySpec(key, algorithm.jceName()));
            for (byte[] d : data) {
                mac.update(d);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /**
     * prf+(K, S) = T1 | T2 | ... truncated to {@code length}, where T1 = prf(K, S | 0x01) and
     * Tn = prf(K, Tn-1 | S | n).
     */
    public byte[] plus(byte[] key, byte[] seed, int length) {
        int blocks = (length + outputBytes() - 1) / outputBytes();
        if (length < 0 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("prf+ cannot produce " + length + " bytes with " + algorithm);
        }
        byte[] out = new byte[blocks * outputBytes()];
        byte[] previous = new byte[0];
        for (int n = 1; n <= blocks; n++) {
            byte[] t = apply(key, previous, seed, new byte[] {(byte) n});
            System.arraycopy(t, 0, out, (n - 1) * outputBytes(), t.length);
            Arrays.fill(previous, (byte) 0);
            previous = t;
        }
        Arrays.fill(previous, (byte) 0);
        byte[] result = Arrays.copyOf(out, length);
        Arrays.fill(out, (byte) 0);
        return result;
    }
}
