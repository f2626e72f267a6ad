package io.ipsecd.dataplane.net;

/**
 * Tells apart what arrives on the shared NAT-T port 4500 (RFC 3948 §2, RFC 7296 §2.23): IKE behind
 * a four-byte zero non-ESP marker, a one-byte 0xFF NAT-keepalive, or ESP starting with its SPI.
 * Pure functions over a byte range, so the receive loop can decide without allocating.
 */
public final class UdpEncap {
  /** What a UDP payload on port 4500 is. */
  public enum Kind {
    /** ESP: the SPI is the first four bytes. */
    ESP,
    /** IKE: the message starts after the {@link #NON_ESP_MARKER_LENGTH}-byte marker. */
    IKE,
    /** A NAT-keepalive, sent only to keep a NAT mapping open; dropped. */
    KEEPALIVE,
    /** Too short to be any of the above, or an SPI in the reserved range 1-255 (RFC 4303 §2.1). */
    INVALID
  }

  public static final int NON_ESP_MARKER_LENGTH = 4;
  public static final byte KEEPALIVE_BYTE = (byte) 0xFF;
  /** The fixed IKE header (RFC 7296 §3.1). */
  static final int IKE_HEADER_LENGTH = 28;
  /** SPI and sequence number: the least a datagram must carry to be looked up as ESP. */
  static final int ESP_MIN_LENGTH = 8;
  /** SPIs 1-255 are reserved by IANA and never assigned to an SA; 0 is the non-ESP marker. */
  static final long FIRST_ASSIGNABLE_SPI = 256;

  private UdpEncap() {}

  public static Kind classify(byte[] buf, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    if (len == 1) {
      return buf[off] == KEEPALIVE_BYTE ? Kind.KEEPALIVE : Kind.INVALID;
    }
    if (len < NON_ESP_MARKER_LENGTH) {
      return Kind.INVALID;
    }
    long spi = spi(buf, off);
    if (spi == 0) {
      return len >= NON_ESP_MARKER_LENGTH + IKE_HEADER_LENGTH ? Kind.IKE : Kind.INVALID;
    }
    return spi >= FIRST_ASSIGNABLE_SPI && len >= ESP_MIN_LENGTH ? Kind.ESP : Kind.INVALID;
  }

  /** The first four bytes as an unsigned big-endian number: the SPI of an ESP packet. */
  public static long spi(byte[] buf, int off) {
    return ((buf[off] & 0xffL) << 24) | ((buf[off + 1] & 0xffL) << 16)
        | ((buf[off + 2] & 0xffL) << 8) | (buf[off + 3] & 0xffL);
  }
}
