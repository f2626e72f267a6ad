package io.ipsecd.esp;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A SecretKey over a copy this module owns and can zero, unlike {@code SecretKeySpec}, whose
 * internal copy stays until garbage collection. Providers still take their own copy through
 * {@link #getEncoded()} (that is the JCA contract); see {@link InboundSa} for what destroy reaches.
 */
final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final String algorithm;
    private final byte[] key;
    private volatile boolean destroyed;

    RawKey(String algorithm, byte[] key) {
        this.algorithm = algorithm;
        this.key = key.clone();
    }

    @Override public String getAlgorithm() { return algorithm; }

    @Override public String getFormat() { return "RAW"; }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("key destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override public boolean isDestroyed() { return destroyed; }

    /** A same-sized all-zero key, used to overwrite provider state on destroy. */
    RawKey zeroed() { return new RawKey(algorithm, new byte[key.length]); }

    @Override public String toString() { return "RawKey[" + algorithm + ", " + key.length + " bytes]"; }
}
