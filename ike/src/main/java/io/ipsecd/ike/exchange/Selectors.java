package io.ipsecd.ike.exchange;

import io.ipsecd.conf.TrafficSelectorSpec;
import io.ipsecd.ike.message.TrafficSelector;
import io.ipsecd.ike.message.TrafficSelector.AddressRange;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Traffic selectors: configured to wire, narrowing (RFC 7296 §2.9), and text for admins. */
final class Selectors {
    private Selectors() {
    }

    static List<TrafficSelector> of(List<TrafficSelectorSpec> configured) {
        List<TrafficSelector> out = new ArrayList<>();
        for (TrafficSelectorSpec s : configured) {
            io.ipsecd.esp.TrafficSelector range = io.ipsecd.esp.TrafficSelector.ofPrefix(s.network(), s.prefixLength(),
                    s.protocol(), s.portLow(), s.portHigh());
            out.add(new AddressRange(s.protocol(), s.portLow(), s.portHigh(), range.startAddress(), range.endAddress()));
        }
        return out;
    }

    /** The data plane's form; OPAQUE or reversed port ranges have no equivalent and are left out. */
    static List<io.ipsecd.esp.TrafficSelector> toEsp(List<TrafficSelector> selectors) {
        List<io.ipsecd.esp.TrafficSelector> out = new ArrayList<>();
        for (TrafficSelector s : selectors) {
            if (s instanceof AddressRange r && r.startPort() <= r.endPort() && compare(r.startAddress(), r.endAddress()) <= 0) {
                out.add(new io.ipsecd.esp.TrafficSelector(r.startAddress(), r.endAddress(), r.ipProtocol(), r.startPort(),
                        r.endPort()));
            }
        }
        return out;
    }

    /**
     * Every non-empty intersection of a proposed selector with a configured one: the responder's
     * narrowing. Empty means TS_UNACCEPTABLE.
     */
    static List<TrafficSelector> narrow(List<TrafficSelector> proposed, List<TrafficSelector> configured) {
        List<TrafficSelector> out = new ArrayList<>();
        for (io.ipsecd.esp.TrafficSelector p : toEsp(proposed)) {
            for (io.ipsecd.esp.TrafficSelector c : toEsp(configured)) {
                p.intersection(c).ifPresent(i -> {
                    AddressRange r = new AddressRange(i.protocol(), i.startPort(), i.endPort(), i.startAddress(),
                            i.endAddress());
                    if (!out.contains(r)) {
                        out.add(r);
                    }
                });
            }
        }
        return out;
    }

    /** Whether every selector the responder returned lies inside what we proposed. */
    static boolean within(List<TrafficSelector> returned, List<TrafficSelector> proposed) {
        List<io.ipsecd.esp.TrafficSelector> ours = toEsp(proposed);
        List<io.ipsecd.esp.TrafficSelector> theirs = toEsp(returned);
        return !theirs.isEmpty() && theirs.size() == returned.size()
                && theirs.stream().allMatch(t -> ours.stream().anyMatch(o -> o.covers(t)));
    }

    /** "10.1.0.0/16, 10.3.0.0/24[tcp/443]": CIDR where the range is a prefix, else start-end. */
    static String format(List<TrafficSelector> selectors) {
        return selectors.stream().map(Selectors::format).collect(Collectors.joining(", "));
    }

    static List<String> strings(List<TrafficSelector> selectors) {
        return selectors.stream().map(Selectors::format).toList();
    }

    static String format(TrafficSelector s) {
        return switch (s) {
            case AddressRange r -> range(r) + suffix(r);
            case TrafficSelector.Unknown u -> "type" + u.tsType() + "?";
        };
    }

    private static String range(AddressRange r) {
        Optional<Integer> prefix = prefixLength(r.startAddress(), r.endAddress());
        String start = text(r.startAddress());
        return prefix.map(p -> start + "/" + p).orElse(start + "-" + text(r.endAddress()));
    }

    private static String suffix(AddressRange r) {
        boolean anyPort = r.startPort() == 0 && r.endPort() == 0xffff;
        if (r.ipProtocol() == 0 && anyPort) {
            return "";
        }
        String proto = switch (r.ipProtocol()) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "ipv6-icmp";
            default -> Integer.toString(r.ipProtocol());
        };
        if (anyPort) {
            return "[" + proto + "]";
        }
        return "[" + proto + "/" + (r.startPort() == r.endPort() ? r.startPort() : r.startPort() + "-" + r.endPort()) + "]";
    }

    private static Optional<Integer> prefixLength(InetAddress start, InetAddress end) {
        int bits = start.getAddress().length * 8;
        BigInteger s = new BigInteger(1, start.getAddress());
        BigInteger e = new BigInteger(1, end.getAddress());
        for (int len = 0; len <= bits; len++) {
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - len).subtract(BigInteger.ONE);
            if (s.and(hostMask).signum() == 0 && s.or(hostMask).equals(e)) {
                return Optional.of(len);
            }
        }
        return Optional.empty();
    }

    /** IPv4 dotted, IPv6 in RFC 5952 form (longest run of zero groups as "::"), as strongSwan prints. */
    static String text(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static int compare(InetAddress a, InetAddress b) {
        return java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }
}
