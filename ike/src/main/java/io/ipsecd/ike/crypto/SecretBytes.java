package io.ipsecd.ike.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * Key material we own and can wipe. {@link #destroy()} overwrites the bytes with zeros; afterwards
 * every read fails. Limits: copies handed out by {@link #copy()}, and key schedules held inside JCE
 * {@code Cipher}/{@code Mac} objects and Bouncy Castle parameter objects, are outside our reach —
 * callers wipe their copies, and the JDK/BC copies live until garbage collection.
 */
public final class SecretBytes implements Destroyable {
    private final byte[] value;
    private volatile boolean destroyed;

    private SecretBytes(byte[] value) {
        this.value = value;
    }

    /** Takes ownership of {@code owned}: the caller must not keep using it. */
    public static SecretBytes wrap(byte[] owned) {
        return new SecretBytes(owned);
    }

    public static SecretBytes copyOf(byte[] source) {
        return new SecretBytes(source.clone());
    }

    public int length() {
        return value.length;
    }

    public byte[] copy() {
        checkAlive();
        return value.clone();
    }

    /** Constant-time comparison. */
    public boolean contentEquals(byte[] other) {
        checkAlive();
        return MessageDigest.isEqual(value, other);
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("key material was destroyed");
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(value, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SecretBytes[" + value.length + " bytes" + (destroyed ? ", destroyed]" : "]");
    }
}
