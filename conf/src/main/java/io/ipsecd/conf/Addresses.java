package io.ipsecd.conf;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict IP literal parsing (no DNS, no "127.1" shorthands) and RFC 5952 formatting. */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private Addresses() {}

    static Optional<InetAddress> parse(String text) {
        if (IPV4.matcher(text).matches()) return Optional.of(InetAddress.ofLiteral(text));
        if (text.contains(":") && IPV6_CHARS.matcher(text).matches()) {
            try {
                return Optional.of(InetAddress.ofLiteral(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    static String family(InetAddress a) {
        return isV6(a) ? "IPv6" : "IPv4";
    }

    /** Dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
    static String format(InetAddress a) {
        if (!isV6(a)) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
