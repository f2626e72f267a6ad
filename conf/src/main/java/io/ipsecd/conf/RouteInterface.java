package io.ipsecd.conf;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The interface of a route-based connection, like an XFRM interface or a VTI: a TUN device of its
 * own, present whenever the connection has a route-based child (any-to-any selectors). What enters
 * it is decided by routes, not selectors: the static {@code routes} here now, a routing daemon later.
 *
 * @param name the Linux interface name (at most 15 bytes), by default {@link #defaultName derived} from the connection
 * @param routes networks routed into the interface while ipsecd runs
 * @param mtu the interface MTU; absent: the tunnel MTU the data plane derives from the outer MTU
 */
public record RouteInterface(String name, List<Route> routes, OptionalInt mtu) {
    /** The data plane's own interface, which carries every policy-based child; no connection may take its name. */
    public static final String POLICY_BASED_INTERFACE = "ipsecd0";
    public static final int MAX_NAME_LENGTH = 15;
    public static final int MIN_MTU = 1280;
    public static final int MAX_MTU = 9000;
    private static final String PREFIX = "ipsec-";

    public RouteInterface {
        Objects.requireNonNull(name, "name");
        routes = List.copyOf(routes);
        Objects.requireNonNull(mtu, "mtu");
    }

    /** {@code ipsec-} and the connection name, cut to 15 characters: {@code azure} gives {@code ipsec-azure}. */
    public static String defaultName(String connection) {
        String name = PREFIX + connection;
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }
}
