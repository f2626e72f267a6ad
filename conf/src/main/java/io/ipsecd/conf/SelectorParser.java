package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses traffic selectors: CIDR with an optional strongSwan-style {@code [proto/port]} suffix. */
final class SelectorParser {
    private static final Pattern SHAPE = Pattern.compile("([^\\[\\]]+?)(?:\\[([^\\[\\]]*)\\])?");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,5}");
    private static final Map<String, Integer> PROTOCOLS = new LinkedHashMap<>();

    static {
        PROTOCOLS.put("icmp", 1);
        PROTOCOLS.put("tcp", 6);
        PROTOCOLS.put("udp", 17);
        PROTOCOLS.put("gre", 47);
        PROTOCOLS.put("ipv6-icmp", 58);
        PROTOCOLS.put("sctp", 132);
    }

    private static final Map<String, Integer> ALIASES = Map.of("icmpv6", 58, "icmp6", 58);

    private SelectorParser() {}

    static String protocolName(int protocol) {
        for (var e : PROTOCOLS.entrySet()) if (e.getValue() == protocol) return e.getKey();
        return Integer.toString(protocol);
    }

    static Outcome<TrafficSelectorSpec> parse(String text) {
        String expected = "expected a CIDR like 10.1.0.0/16 or 2001:db8::/32, optionally with [proto/port], found '" + text + "'";
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) return Outcome.err(expected);
        Outcome<Route> network = cidr(m.group(1).strip(), expected);
        if (network instanceof Outcome.Err<Route>(String message)) return Outcome.err(message);
        Route route = network.orThrow();
        int protocol = 0, low = 0, high = 65535;
        if (m.group(2) != null) {
            String[] parts = m.group(2).strip().split("/", -1);
            if (parts.length > 2) return Outcome.err("expected [proto] or [proto/port] after the address, found '[" + m.group(2) + "]'");
            Optional<Integer> proto = protocol(parts[0].strip());
            if (proto.isEmpty()) {
                return Outcome.err("unknown protocol '" + parts[0].strip() + "': expected one of "
                        + String.join(", ", PROTOCOLS.keySet()) + " or a number 0..255");
            }
            protocol = proto.get();
            if (parts.length == 2) {
                String ports = parts[1].strip();
                if (protocol == 0 && !ports.equals("%any")) return Outcome.err("a port needs a protocol: write e.g. [tcp/" + ports + "]");
                if (!ports.equals("%any")) {
                    String[] range = ports.split("-", -1);
                    if (range.length > 2 || !NUMBER.matcher(range[0]).matches()
                            || (range.length == 2 && !NUMBER.matcher(range[1]).matches())) {
                        return Outcome.err("expected a port 0..65535 or a range like 1000-2000, found '" + ports + "'");
                    }
                    low = Integer.parseInt(range[0]);
                    high = range.length == 2 ? Integer.parseInt(range[1]) : low;
                    if (high > 65535 || low > high) {
                        return Outcome.err("expected a port 0..65535 or a range like 1000-2000, found '" + ports + "'");
                    }
                }
            }
        }
        return Outcome.ok(new TrafficSelectorSpec(route.network(), route.prefixLength(), protocol, low, high));
    }

    /** A network in CIDR form (a bare address is a host); {@code expected} is the message for a malformed one. */
    static Outcome<Route> cidr(String cidr, String expected) {
        int slash = cidr.indexOf('/');
        String addrText = slash < 0 ? cidr : cidr.substring(0, slash);
        Optional<InetAddress> addr = Addresses.parse(addrText);
        if (addr.isEmpty()) return Outcome.err(expected);
        int max = addr.get().getAddress().length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = cidr.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
                return Outcome.err("prefix length must be 0.." + max + " for " + Addresses.family(addr.get()) + ", found '" + p + "'");
            }
            prefix = Integer.parseInt(p);
        }
        InetAddress network = mask(addr.get(), prefix);
        if (!network.equals(addr.get())) {
            return Outcome.err("'" + cidr + "' has host bits set: did you mean " + Addresses.format(network) + "/" + prefix + "?");
        }
        return Outcome.ok(new Route(network, prefix));
    }

    private static Optional<Integer> protocol(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.equals("%any") || w.isEmpty()) return Optional.of(0);
        if (PROTOCOLS.containsKey(w)) return Optional.of(PROTOCOLS.get(w));
        if (ALIASES.containsKey(w)) return Optional.of(ALIASES.get(w));
        if (w.matches("\\d{1,3}") && Integer.parseInt(w) <= 255) return Optional.of(Integer.parseInt(w));
        return Optional.empty();
    }

    static InetAddress mask(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
