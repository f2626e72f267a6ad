package io.ipsecd.ike.message;

/**
 * A bounded cursor over a byte array. Every read is checked against the bound it was given, and a
 * short read becomes an {@link IkeDecodeException} naming {@code what} was being read — never an
 * index exception.
 */
final class WireReader {
    private final byte[] data;
    private int position;
    private final int end;

    WireReader(byte[] data, int start, int end) {
        this.data = data;
        this.position = start;
        this.end = end;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    boolean hasRemaining() {
        return position < end;
    }

    private void need(int count, String what) throws IkeDecodeException {
        if (count > remaining()) {
            throw IkeDecodeException.syntax(what + ": needs " + count + " bytes at offset " + position
                    + ", only " + remaining() + " left");
        }
    }

    int u8(String what) throws IkeDecodeException {
        need(1, what);
        return data[position++] & 0xff;
    }

    int u16(String what) throws IkeDecodeException {
        need(2, what);
        int v = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
        position += 2;
        return v;
    }

    long u32(String what) throws IkeDecodeException {
        need(4, what);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[position + i] & 0xff);
        }
        position += 4;
        return v;
    }

    long u64(String what) throws IkeDecodeException {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[position + i] & 0xff);
        }
        position += 8;
        return v;
    }

    void skip(int count, String what) throws IkeDecodeException {
        need(count, what);
        position += count;
    }

    Bytes bytes(int count, String what) throws IkeDecodeException {
        need(count, what);
        Bytes b = Bytes.of(data, position, count);
        position += count;
        return b;
    }

    Bytes rest() {
        Bytes b = Bytes.of(data, position, remaining());
        position = end;
        return b;
    }

    /** Consumes {@code count} bytes and returns a reader bounded to exactly them. */
    WireReader slice(int count, String what) throws IkeDecodeException {
        need(count, what);
        WireReader sub = new WireReader(data, position, position + count);
        position += count;
        return sub;
    }
}
