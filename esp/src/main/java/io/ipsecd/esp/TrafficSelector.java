package io.ipsecd.esp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One IKEv2 traffic selector (RFC 7296 section 3.13.1): an inclusive address range of one family,
 * an IP protocol (0 = any) and an inclusive port range (0-65535 = any).
 *
 * <p>Ports are compared as given; for protocols without ports (ICMP's type/code encoding of RFC
 * 4301 section 4.4.1.1 included) pass the port as 0 and use the full range, which always matches.
 */
public record TrafficSelector(InetAddress startAddress, InetAddress endAddress, int protocol,
                              int startPort, int endPort) {

    public static final int ANY_PROTOCOL = 0;

    public TrafficSelector {
        Objects.requireNonNull(startAddress, "startAddress");
        Objects.requireNonNull(endAddress, "endAddress");
        if (startAddress.getClass() != endAddress.getClass()) {
            throw new IllegalArgumentException("address family mismatch: " + startAddress + " - " + endAddress);
        }
        if (compare(startAddress, endAddress) > 0) {
            throw new IllegalArgumentException("start address after end: " + startAddress + " - " + endAddress);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol out of range: " + protocol);
        }
        if (startPort < 0 || endPort > 65535 || startPort > endPort) {
            throw new IllegalArgumentException("bad port range: " + startPort + "-" + endPort);
        }
    }

    /** All addresses of {@code prefix/length}, any protocol and port. */
    public static TrafficSelector ofPrefix(InetAddress prefix, int length) {
        return ofPrefix(prefix, length, ANY_PROTOCOL, 0, 65535);
    }

    public static TrafficSelector ofPrefix(InetAddress prefix, int length, int protocol, int startPort, int endPort) {
        byte[] low = prefix.getAddress();
        if (length < 0 || length > low.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + prefix);
        }
        byte[] high = low.clone();
        for (int bit = length; bit < low.length * 8; bit++) {
            low[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            high[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return new TrafficSelector(address(low), address(high), protocol, startPort, endPort);
    }

    /** 0.0.0.0 - 255.255.255.255, any protocol and port. */
    public static TrafficSelector anyIpv4() { return ofPrefix(address(new byte[4]), 0); }

    /** :: - ffff:...:ffff, any protocol and port. */
    public static TrafficSelector anyIpv6() { return ofPrefix(address(new byte[16]), 0); }

    public boolean ipv4() { return startAddress instanceof Inet4Address; }

    /** True when a packet from/to {@code address} with this protocol and port falls in the selector. */
    public boolean contains(InetAddress address, int protocol, int port) {
        return address.getClass() == startAddress.getClass()
                && compare(startAddress, address) <= 0 && compare(address, endAddress) <= 0
                && (this.protocol == ANY_PROTOCOL || this.protocol == protocol)
                && startPort <= port && port <= endPort;
    }

    /** True when this selector covers every packet {@code other} covers. */
    public boolean covers(TrafficSelector other) {
        return sameFamily(other) && compare(startAddress, other.startAddress) <= 0
                && compare(other.endAddress, endAddress) <= 0
                && (protocol == ANY_PROTOCOL || protocol == other.protocol)
                && startPort <= other.startPort && other.endPort <= endPort;
    }

    /** True when some packet matches both selectors. */
    public boolean overlaps(TrafficSelector other) {
        return intersection(other).isPresent();
    }

    /** The packets matching both selectors (IKE's narrowing), if any. */
    public Optional<TrafficSelector> intersection(TrafficSelector other) {
        if (!sameFamily(other) || (protocol != ANY_PROTOCOL && other.protocol != ANY_PROTOCOL && protocol != other.protocol)) {
            return Optional.empty();
        }
        InetAddress start = compare(startAddress, other.startAddress) >= 0 ? startAddress : other.startAddress;
        InetAddress end = compare(endAddress, other.endAddress) <= 0 ? endAddress : other.endAddress;
        int low = Math.max(startPort, other.startPort);
        int high = Math.min(endPort, other.endPort);
        if (compare(start, end) > 0 || low > high) {
            return Optional.empty();
        }
        return Optional.of(new TrafficSelector(start, end, protocol == ANY_PROTOCOL ? other.protocol : protocol, low, high));
    }

    private boolean sameFamily(TrafficSelector other) {
        return startAddress.getClass() == other.startAddress.getClass();
    }

    private static int compare(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // only for a wrong length, which cannot happen here
        }
    }

    @Override
    public String toString() {
        return startAddress.getHostAddress() + "-" + endAddress.getHostAddress() + " proto " + protocol
                + " ports " + startPort + "-" + endPort;
    }
}
