package io.ipsecd.esp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flyweight accessors for the fixed ESP header over a {@code byte[]} at an offset, for the data
 * plane to find the SA of an incoming packet before any crypto ({@link #spi}).
 */
public final class EspPacket {
    /** SPI and 32-bit sequence number. */
    public static final int HEADER_SIZE = 8;
    public static final int NEXT_HEADER_IPV4 = 4;
    public static final int NEXT_HEADER_IPV6 = 41;
    /** RFC 4303 section 2.6 dummy packet: authenticated, then dropped. */
    public static final int NEXT_HEADER_NONE = 59;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private EspPacket() {}

    /** True when {@code length} bytes are enough to hold an SPI and a sequence number. */
    public static boolean hasHeader(int length) { return length >= HEADER_SIZE; }

    /** SPI of the ESP packet at {@code espOffset}; needs {@link #HEADER_SIZE} bytes there. */
    public static int spi(byte[] buf, int espOffset) { return getInt(buf, espOffset); }

    /** Low 32 bits of the sequence number as sent. */
    public static int sequenceLow(byte[] buf, int espOffset) { return getInt(buf, espOffset + 4); }

    static int getInt(byte[] buf, int off) { return (int) INT.get(buf, off); }

    static void putInt(byte[] buf, int off, int value) { INT.set(buf, off, value); }

    static long getLong(byte[] buf, int off) { return (long) LONG.get(buf, off); }

    static void putLong(byte[] buf, int off, long value) { LONG.set(buf, off, value); }
}
