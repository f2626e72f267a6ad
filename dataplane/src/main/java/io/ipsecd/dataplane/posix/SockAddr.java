package io.ipsecd.dataplane.posix;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** {@code struct sockaddr_in} / {@code sockaddr_in6} in native memory, for FFM socket calls. */
public final class SockAddr {
  public static final int IN_SIZE = 16;
  public static final int IN6_SIZE = 28;
  /** {@code sizeof(struct sockaddr_storage)}: room for any address a receive reports. */
  public static final int STORAGE_SIZE = 128;
  private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

  private SockAddr() {}

  public static int family(InetAddress address) {
    return address instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
  }

  public static int size(InetAddress address) {
    return address instanceof Inet6Address ? IN6_SIZE : IN_SIZE;
  }

  /** Encodes {@code address} into a new segment from {@code arena}, sized exactly. */
  public static MemorySegment encode(InetSocketAddress address, Arena arena) {
    MemorySegment out = arena.allocate(size(address.getAddress()), 8);
    encode(address, out);
    return out;
  }

  /** Encodes into {@code out} (zero-filled first) and returns the length to pass as socklen_t. */
  public static int encode(InetSocketAddress address, MemorySegment out) {
    InetAddress ip = address.getAddress();
    out.fill((byte) 0);
    out.set(JAVA_SHORT, 0, (short) family(ip));
    out.set(PORT, 2, (short) address.getPort());
    byte[] raw = ip.getAddress();
    if (ip instanceof Inet4Address) {
      MemorySegment.copy(raw, 0, out, JAVA_BYTE, 4, 4);
      return IN_SIZE;
    }
    MemorySegment.copy(raw, 0, out, JAVA_BYTE, 8, 16);
    out.set(JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
    return IN6_SIZE;
  }

  /** Decodes what the kernel wrote; {@code length} is the socklen_t it reported. */
  public static InetSocketAddress decode(MemorySegment in, int length) {
    int family = in.get(JAVA_SHORT, 0);
    int port = Short.toUnsignedInt(in.get(PORT, 2));
    try {
      if (family == Libc.AF_INET && length >= IN_SIZE) {
        return new InetSocketAddress(InetAddress.getByAddress(in.asSlice(4, 4).toArray(JAVA_BYTE)), port);
      }
      if (family == Libc.AF_INET6 && length >= IN6_SIZE) {
        byte[] raw = in.asSlice(8, 16).toArray(JAVA_BYTE);
        int scope = in.get(JAVA_INT, 24);
        InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
        return new InetSocketAddress(ip, port);
      }
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
    throw new IllegalArgumentException("not an IPv4/IPv6 socket address: family " + family + ", length " + length);
  }
}
