package io.ipsecd.conf;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes (a pre-shared key), read from a file or the environment at load time.
 * {@link #toString()} never shows the value; {@link #source()} says where it came from.
 * Equality compares contents in constant time; the hash code depends on the length only.
 */
public final class Secret {
    private final byte[] value;
    private final String source;

    private Secret(byte[] value, String source) {
        this.value = value.clone();
        this.source = Objects.requireNonNull(source, "source");
    }

    /** A secret holding a copy of {@code value}; {@code source} is a human description like {@code env AZURE_PSK}. */
    public static Secret of(byte[] value, String source) {
        return new Secret(value, source);
    }

    /** A copy of the secret bytes; the caller should wipe it after use. */
    public byte[] bytes() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** Where the secret came from, e.g. {@code file /etc/ipsecd/x.psk} or {@code env AZURE_PSK}. */
    public String source() {
        return source;
    }

    public boolean equalsConstantTime(Secret other) {
        return other != null && MessageDigest.isEqual(value, other.value);
    }

    /** Overwrites the bytes with zeros. */
    public void destroy() {
        Arrays.fill(value, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && equalsConstantTime(s);
    }

    @Override
    public int hashCode() {
        return value.length;
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
