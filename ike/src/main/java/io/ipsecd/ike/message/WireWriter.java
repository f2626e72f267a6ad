package io.ipsecd.ike.message;

import java.io.ByteArrayOutputStream;

/** Big-endian writer; encoding cannot fail on valid records, so it throws nothing checked. */
final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    WireWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter u32(long v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    WireWriter u64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    WireWriter zeros(int count) {
        for (int i = 0; i < count; i++) {
            out.write(0);
        }
        return this;
    }

    WireWriter bytes(Bytes b) {
        byte[] tmp = new byte[b.length()];
        b.copyTo(tmp, 0);
        out.writeBytes(tmp);
        return this;
    }

    WireWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
