package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.Objects;

/** A static route of a route-based connection: a network (host bits zero) the kernel sends into its interface. */
public record Route(InetAddress network, int prefixLength) {
    public Route {
        Objects.requireNonNull(network, "network");
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix length " + prefixLength);
    }

    /** Parses {@code 10.2.0.0/16} or {@code 2001:db8::/32}; a bare address is a host route. */
    public static Route parse(String text) {
        return SelectorParser.cidr(text.strip(), "expected a network like 10.2.0.0/16, found '" + text + "'").orThrow();
    }

    public boolean isV6() {
        return Addresses.isV6(network);
    }

    /** Whether {@code address} (of either family) lies in this network. */
    public boolean contains(InetAddress address) {
        return Addresses.isV6(address) == isV6() && SelectorParser.mask(address, prefixLength).equals(network);
    }

    @Override
    public String toString() {
        return Addresses.format(network) + "/" + prefixLength;
    }
}
