package io.ipsecd.ike.message;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality, so payload records compare by content and
 * {@code decode(encode(m)).equals(m)} means what it says. Copies on the way in and out: IKE
 * messages are small and rare, and aliasing bugs in a parser are worse than a few copies.
 */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] value;

    private Bytes(byte[] owned) {
        this.value = owned;
    }

    public static Bytes of(byte[] source) {
        return source.length == 0 ? EMPTY : new Bytes(source.clone());
    }

    public static Bytes of(byte[] source, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(source, offset, offset + length));
    }

    /** Hex digits, optionally separated by whitespace (fixtures are written in RFC-style groups). */
    public static Bytes fromHex(String hex) {
        return of(HEX.parseHex(hex.replaceAll("\\s+", "")));
    }

    public int length() {
        return value.length;
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    public int get(int index) {
        return value[index] & 0xff;
    }

    public byte[] toArray() {
        return value.clone();
    }

    void copyTo(byte[] target, int offset) {
        System.arraycopy(value, 0, target, offset, value.length);
    }

    public String toHex() {
        return HEX.formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return value.length <= 64 ? toHex() : toHex().substring(0, 128) + "...(" + value.length + " bytes)";
    }
}
