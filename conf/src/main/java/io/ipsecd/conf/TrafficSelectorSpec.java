package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A traffic selector as configured: a network, an IP protocol (0 = any) and a port range
 * (0-65535 = any). {@link #toString()} gives the strongSwan form, e.g. {@code 10.1.0.0/16[tcp/443]}.
 */
public record TrafficSelectorSpec(InetAddress network, int prefixLength, int protocol, int portLow, int portHigh) {
    public TrafficSelectorSpec {
        Objects.requireNonNull(network, "network");
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix length " + prefixLength);
        if (protocol < 0 || protocol > 255) throw new IllegalArgumentException("protocol " + protocol);
        if (portLow < 0 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("port range " + portLow + "-" + portHigh);
        }
    }

    /** Parses the strongSwan-like form: {@code CIDR} or {@code CIDR[proto]} or {@code CIDR[proto/port[-port]]}. */
    public static TrafficSelectorSpec parse(String text) {
        return SelectorParser.parse(text).orThrow();
    }

    public boolean isV6() {
        return Addresses.isV6(network);
    }

    public boolean anyPort() {
        return portLow == 0 && portHigh == 65535;
    }

    @Override
    public String toString() {
        String s = Addresses.format(network) + "/" + prefixLength;
        if (protocol == 0) return s;
        String proto = SelectorParser.protocolName(protocol);
        if (anyPort()) return s + "[" + proto + "]";
        String ports = portLow == portHigh ? Integer.toString(portLow) : portLow + "-" + portHigh;
        return s + "[" + proto + "/" + ports + "]";
    }
}
