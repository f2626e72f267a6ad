package io.ipsecd.dataplane.link;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 network prefix such as {@code 198.18.0.0/15}, with no host bits set: the unit in
 * which routes are installed. A traffic selector is an address range; {@link #covering} turns it
 * into the prefixes to route.
 */
public record IpPrefix(InetAddress network, int length) {
  public IpPrefix {
    int bits = network.getAddress().length * 8;
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("prefix length " + length + " outside 0.." + bits
          + " for " + network.getHostAddress());
    }
    BigInteger value = new BigInteger(1, network.getAddress());
    if (!value.and(hostMask(bits, length)).equals(BigInteger.ZERO)) {
      throw new IllegalArgumentException(network.getHostAddress() + "/" + length
          + " has host bits set; did you mean " + of(network, length) + "?");
    }
  }

  /** The prefix that contains {@code address}, host bits cleared. */
  public static IpPrefix of(InetAddress address, int length) {
    int bits = address.getAddress().length * 8;
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("prefix length " + length + " outside 0.." + bits);
    }
    BigInteger value = new BigInteger(1, address.getAddress()).andNot(hostMask(bits, length));
    return new IpPrefix(toAddress(value, bits), length);
  }

  /** Parses {@code 10.1.0.0/16}, {@code 2001:db8::/32}, or a bare address (a host prefix). */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    InetAddress address = literal(addressText, text);
    int bits = address.getAddress().length * 8;
    int length;
    try {
      length = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid prefix length after '/'", e);
    }
    return new IpPrefix(address, length);
  }

  /**
   * The fewest prefixes that exactly cover the range [first, last] (both the same family): what a
   * traffic selector range needs in the routing table. 10.0.0.0-10.0.0.255 gives one /24;
   * 10.0.0.1-10.0.0.6 gives /32, /31, /31, /32.
   */
  public static List<IpPrefix> covering(InetAddress first, InetAddress last) {
    int bits = first.getAddress().length * 8;
    if (last.getAddress().length * 8 != bits) {
      throw new IllegalArgumentException("range " + first.getHostAddress() + " - "
          + last.getHostAddress() + " mixes IPv4 and IPv6");
    }
    BigInteger start = new BigInteger(1, first.getAddress());
    BigInteger end = new BigInteger(1, last.getAddress());
    if (start.compareTo(end) > 0) {
      throw new IllegalArgumentException("range start " + first.getHostAddress()
          + " is after its end " + last.getHostAddress());
    }
    List<IpPrefix> prefixes = new ArrayList<>();
    while (start.compareTo(end) <= 0) {
      // Largest block aligned at start (trailing zero bits) that does not run past end.
      int size = start.signum() == 0 ? bits : Math.min(start.getLowestSetBit(), bits);
      while (size > 0 && start.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(end) > 0) {
        size--;
      }
      prefixes.add(new IpPrefix(toAddress(start, bits), bits - size));
      start = start.add(BigInteger.ONE.shiftLeft(size));
    }
    return List.copyOf(prefixes);
  }

  public boolean isIpv6() {
    return network.getAddress().length == 16;
  }

  public boolean contains(InetAddress address) {
    int bits = network.getAddress().length * 8;
    return address.getAddress().length * 8 == bits && of(address, length).network.equals(network);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + length;
  }

  private static BigInteger hostMask(int bits, int length) {
    return BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
  }

  private static InetAddress toAddress(BigInteger value, int bits) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[bits / 8];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  private static InetAddress literal(String addressText, String whole) {
    // Only literals: a name here would mean a DNS lookup while configuring routes.
    if (addressText.isEmpty() || !addressText.chars().allMatch(c -> Character.digit(c, 16) >= 0
        || c == '.' || c == ':')) {
      throw new IllegalArgumentException("'" + whole + "' is not an IP address or prefix");
    }
    try {
      return InetAddress.ofLiteral(addressText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + whole + "' is not an IP address or prefix", e);
    }
  }
}
