package io.ipsecd.ike.message;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One traffic selector (RFC 7296 §3.13.1): an address range with an IP protocol and port range, or a
 * selector of a type we do not know, kept raw (the exchange layer answers TS_UNACCEPTABLE, not
 * INVALID_SYNTAX, for those).
 */
public sealed interface TrafficSelector {
    int TS_IPV4_ADDR_RANGE = 7;
    int TS_IPV6_ADDR_RANGE = 8;
    int ANY_PROTOCOL = 0;

    int tsType();

    /**
     * @param ipProtocol 0 = any
     * @param startPort start of the port range; ports are not checked for order, since RFC 4301
     *                  encodes OPAQUE as start 65535, end 0
     */
    record AddressRange(int ipProtocol, int startPort, int endPort, InetAddress startAddress,
                        InetAddress endAddress) implements TrafficSelector {
        public AddressRange {
            if (ipProtocol < 0 || ipProtocol > 255 || startPort < 0 || startPort > 0xffff || endPort < 0
                    || endPort > 0xffff) {
                throw new IllegalArgumentException("traffic selector field out of range");
            }
            if (startAddress.getClass() != endAddress.getClass()) {
                throw new IllegalArgumentException("start and end address are of different families");
            }
        }

        /** All ports and protocols between two addresses. */
        public static AddressRange of(InetAddress start, InetAddress end) {
            return new AddressRange(ANY_PROTOCOL, 0, 0xffff, start, end);
        }

        public boolean isIpv6() {
            return startAddress instanceof Inet6Address;
        }

        @Override
        public int tsType() {
            return startAddress instanceof Inet4Address ? TS_IPV4_ADDR_RANGE : TS_IPV6_ADDR_RANGE;
        }
    }

    /** @param body everything after the 4-byte selector header (type, protocol, length) */
    record Unknown(int tsType, int ipProtocol, Bytes body) implements TrafficSelector {
        public Unknown {
            if (tsType == TS_IPV4_ADDR_RANGE || tsType == TS_IPV6_ADDR_RANGE || tsType < 0 || tsType > 255
                    || ipProtocol < 0 || ipProtocol > 255 || body.length() > 0xffff - 4) {
                throw new IllegalArgumentException("not an unknown traffic selector");
            }
        }
    }
}
