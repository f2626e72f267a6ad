package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a connection's {@code interface:} and checks it against the connection's children and
 * against the connections read before it (one instance reads a whole file): names and routes
 * belong to one interface only.
 */
final class InterfaceReader {
    static final List<String> KEYS = List.of("name", "routes", "mtu");
    /** What Linux accepts in an interface name, minus the characters that need quoting in a shell. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + RouteInterface.MAX_NAME_LENGTH + "}");

    private final Problems problems;
    private final ValueReader values;
    private final Map<String, String> connectionByInterface = new HashMap<>();
    private final Map<Route, String> interfaceByRoute = new HashMap<>();
    /** The routes ipsecd derives into its own interface from policy-based children's remote_ts, by child. */
    private final Map<Route, String> policyRoutes = new HashMap<>();

    InterfaceReader(Problems problems, ValueReader values) {
        this.problems = problems;
        this.values = values;
    }

    /**
     * The connection's interface: present when a child is route-based.
     *
     * @param ch the connection's {@code children:} mapping, for positions
     * @param peer the remote address, when known: no route may swallow it
     */
    Optional<RouteInterface> read(MapView c, String connection, Map<String, Child> children, MapView ch,
                                  Optional<InetAddress> peer) {
        policyRoutes(connection, children, ch);
        List<Child> routeBased = children.values().stream().filter(Child::routeBased).toList();
        for (Child extra : routeBased.subList(Math.min(1, routeBased.size()), routeBased.size())) {
            problems.at(ch.keyNode(extra.name()), ch.child(extra.name()), "child '" + extra.name()
                    + "' is route-based (any-to-any selectors) like '" + routeBased.getFirst().name()
                    + "': expected at most one per connection; one child carries both families with "
                    + "local_ts: [0.0.0.0/0, \"::/0\"] and remote_ts: [0.0.0.0/0, \"::/0\"]");
        }
        MapView i = c.map("interface", KEYS);
        if (routeBased.isEmpty()) {
            if (c.has("interface")) {
                problems.at(c.keyNode("interface"), c.child("interface"), "an interface needs a route-based child "
                        + "(local_ts and remote_ts only 0.0.0.0/0 and/or ::/0), found none: policy-based children "
                        + "are routed by their remote_ts");
            }
            return Optional.empty();
        }
        Child child = routeBased.getFirst();
        int before = problems.count();
        String name = name(i, connection);
        List<Route> routes = routes(i, connection, name, child, peer);
        OptionalInt mtu = values.integer(i, "mtu", RouteInterface.MIN_MTU, RouteInterface.MAX_MTU, "an MTU in bytes");
        if (problems.count() != before) return Optional.empty();
        return Optional.of(new RouteInterface(name, routes, mtu));
    }

    /**
     * A policy-based child's remote_ts network is routed into ipsecd0; the same network routed into
     * a route-based interface would replace that route (or be replaced by it): one of them is wrong.
     */
    private void policyRoutes(String connection, Map<String, Child> children, MapView ch) {
        for (Child child : children.values()) {
            if (child.routeBased()) {
                continue;
            }
            for (TrafficSelectorSpec ts : child.remoteTs()) {
                if (ts.prefixLength() == 0) {
                    continue; // never routed
                }
                Route route = new Route(ts.network(), ts.prefixLength());
                String owner = interfaceByRoute.get(route);
                if (owner != null) {
                    problems.at(ch.keyNode(child.name()), ch.child(child.name()), "remote_ts " + route + " of policy-based child '"
                            + child.name() + "' is also routed into the interface of connection '" + owner
                            + "': expected each network routed into one interface");
                }
                policyRoutes.putIfAbsent(route, connection + "/" + child.name());
            }
        }
    }

    private String name(MapView i, String connection) {
        Optional<String> given = i.scalar("name");
        String name = given.orElse(RouteInterface.defaultName(connection));
        Node at = given.isPresent() ? i.value("name").get() : i.anchor();
        String path = given.isPresent() ? i.child("name") : MapView.display(i.path());
        if (given.isPresent() && (!NAME.matcher(name).matches() || name.equals(".") || name.equals(".."))) {
            problems.at(at, path, "expected an interface name of 1.." + RouteInterface.MAX_NAME_LENGTH
                    + " letters, digits, '-', '_' and '.', found '" + name + "'");
            return name;
        }
        if (name.equals(RouteInterface.POLICY_BASED_INTERFACE)) {
            problems.at(at, path, "'" + name + "' is ipsecd's interface for policy-based children: expected another name");
            return name;
        }
        String owner = connectionByInterface.putIfAbsent(name, connection);
        if (owner != null) {
            problems.at(at, path, (given.isPresent() ? "interface '" : "the default interface name '") + name
                    + "' is already the interface of connection '" + owner + "': expected a name of its own"
                    + (given.isPresent() ? "" : " (set interface.name)"));
        }
        return name;
    }

    private List<Route> routes(MapView i, String connection, String name, Child child, Optional<InetAddress> peer) {
        List<Route> out = new ArrayList<>();
        Optional<List<Node>> items = i.list("routes");
        if (items.isEmpty()) return out;
        for (int n = 0; n < items.get().size(); n++) {
            Node item = items.get().get(n);
            String path = i.child("routes") + "[" + n + "]";
            if (!(item instanceof ScalarNode s) || MapView.isNull(item)) {
                problems.at(item, path, "expected a network like 10.2.0.0/16, found " + MapView.describe(item));
                continue;
            }
            String text = s.getValue().strip();
            String expected = "expected a network like 10.2.0.0/16 or 2001:db8::/32, found '" + text + "'";
            Optional<Route> parsed = values.report(text.contains("[") ? Outcome.err(expected + " (routes take no [proto/port])")
                    : SelectorParser.cidr(text, expected), item, path);
            if (parsed.isEmpty()) continue;
            Route route = parsed.get();
            if (route.isV6() ? !child.carriesV6() : !child.carriesV4()) {
                String family = route.isV6() ? "IPv6" : "IPv4";
                problems.at(item, path, "route " + route + " is " + family + " but the route-based child '" + child.name()
                        + "' carries no " + family + ": add " + (route.isV6() ? "::/0" : "0.0.0.0/0")
                        + " to its local_ts and remote_ts");
            } else if (peer.isPresent() && route.contains(peer.get())) {
                problems.at(item, path, "route " + route + " contains the peer's address " + Addresses.format(peer.get())
                        + ": IKE and ESP to the peer would enter the tunnel; expected a narrower route");
            } else if (out.contains(route)) {
                problems.at(item, path, "route " + route + " is listed twice");
            } else if (policyRoutes.containsKey(route)) {
                problems.at(item, path, "route " + route + " is also the remote_ts of policy-based child '"
                        + policyRoutes.get(route) + "', which ipsecd routes into " + RouteInterface.POLICY_BASED_INTERFACE
                        + ": expected each network routed into one interface");
            } else {
                String owner = interfaceByRoute.putIfAbsent(route, connection);
                if (owner != null) {
                    problems.at(item, path, "route " + route + " already goes into the interface of connection '" + owner
                            + "': expected each network routed into one interface");
                }
                out.add(route);
            }
        }
        return out;
    }
}
