package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Route-based connections (any-to-any children, their interface and routes) and per-child MSS clamping. */
class RouteInterfaceConfigTest {
    @TempDir Path dir;

    private static final String ANY = "local_ts: [0.0.0.0/0, \"::/0\"], remote_ts: [0.0.0.0/0, \"::/0\"]";

    private static String connection(String name, String peer, String extra, String children) {
        return "  " + name + ":\n"
                + "    local: { address: 192.0.2.1 }\n"
                + "    remote: { address: " + peer + " }\n"
                + "    psk: { env: TEST_PSK }\n"
                + extra
                + "    children:\n" + children;
    }

    private static String file(String... connections) {
        return "connections:\n" + String.join("", connections);
    }

    @Test
    void anAnyToAnyChildMakesTheConnectionRouteBasedWithItsOwnInterfaceAndRoutes() {
        Config c = TestFiles.valid(file(connection("azure", "203.0.113.10",
                "    interface: { name: azure0, routes: [10.2.0.0/16, \"fd00:2::/64\"], mtu: 1400 }\n",
                "      vnet: { " + ANY + ", mss_clamp: 1350 }\n")), dir);
        Connection azure = c.connections().get("azure");
        Child vnet = azure.children().get("vnet");
        assertThat(vnet.routeBased()).isTrue();
        assertThat(vnet.mssClamp()).isEqualTo(OptionalInt.of(1350));
        RouteInterface i = azure.routeInterface().orElseThrow();
        assertThat(i.name()).isEqualTo("azure0");
        assertThat(i.routes()).map(Route::toString).containsExactly("10.2.0.0/16", "fd00:2::/64");
        assertThat(i.mtu()).isEqualTo(OptionalInt.of(1400));
    }

    @Test
    void withoutAnInterfaceSectionTheNameIsDerivedAndThereAreNoRoutes() {
        Config c = TestFiles.valid(file(
                connection("azure-westeurope", "203.0.113.10", "", "      vnet: { local_ts: [0.0.0.0/0], remote_ts: [0.0.0.0/0] }\n"),
                connection("branch", "203.0.113.11", "", "      lan: { local_ts: [10.1.0.0/16], remote_ts: [10.3.0.0/16] }\n")), dir);
        RouteInterface i = c.connections().get("azure-westeurope").routeInterface().orElseThrow();
        assertThat(i.name()).isEqualTo("ipsec-azure-wes").hasSizeLessThanOrEqualTo(15);
        assertThat(i.routes()).isEmpty();
        assertThat(i.mtu()).isEmpty();
        assertThat(c.connections().get("branch").routeInterface()).as("policy-based only").isEmpty();
        assertThat(c.connections().get("branch").children().get("lan").routeBased()).isFalse();
        assertThat(c.connections().get("branch").children().get("lan").mssClamp()).isEmpty();
    }

    @Test
    void aChildThatNarrowsProtocolOrOnlyOneSideIsNotRouteBased() {
        Config c = TestFiles.valid(file(connection("x", "203.0.113.10", "",
                "      half: { local_ts: [10.1.0.0/16], remote_ts: [0.0.0.0/0] }\n"
                        + "      tcp: { local_ts: [\"0.0.0.0/0[tcp]\"], remote_ts: [0.0.0.0/0] }\n")), dir);
        assertThat(c.connections().get("x").children().values()).noneMatch(Child::routeBased);
        assertThat(c.connections().get("x").routeInterface()).isEmpty();
    }

    @Test
    void changingRoutesChangesTheConnectionForReload() {
        Config a = TestFiles.valid(file(connection("azure", "203.0.113.10", "    interface: { routes: [10.2.0.0/16] }\n",
                "      vnet: { " + ANY + " }\n")), dir);
        Config b = TestFiles.valid(file(connection("azure", "203.0.113.10", "    interface: { routes: [10.2.0.0/16, 10.4.0.0/16] }\n",
                "      vnet: { " + ANY + " }\n")), dir);
        assertThat(ConfigDiff.between(a, b).changed()).containsExactly("azure");
    }

    static Stream<Arguments> invalid() {
        String vnet = "      vnet: { " + ANY + " }\n";
        return Stream.of(
                c("interface without a route-based child", file(connection("s", "203.0.113.10",
                                "    interface: { routes: [10.2.0.0/16] }\n", "      lan: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n")),
                        "6:5: connections.s.interface: an interface needs a route-based child (local_ts and remote_ts only 0.0.0.0/0 and/or ::/0), found none: policy-based children are routed by their remote_ts"),
                c("two route-based children", file(connection("s", "203.0.113.10", "",
                                "      v4: { local_ts: [0.0.0.0/0], remote_ts: [0.0.0.0/0] }\n      v6: { local_ts: [\"::/0\"], remote_ts: [\"::/0\"] }\n")),
                        "8:7: connections.s.children.v6: child 'v6' is route-based (any-to-any selectors) like 'v4': expected at most one per connection; one child carries both families with local_ts: [0.0.0.0/0, \"::/0\"] and remote_ts: [0.0.0.0/0, \"::/0\"]"),
                c("name too long", file(connection("s", "203.0.113.10", "    interface: { name: a-very-long-ifname }\n", vnet)),
                        "6:24: connections.s.interface.name: expected an interface name of 1..15 letters, digits, '-', '_' and '.', found 'a-very-long-ifname'"),
                c("name with a slash", file(connection("s", "203.0.113.10", "    interface: { name: \"if/0\" }\n", vnet)),
                        "6:24: connections.s.interface.name: expected an interface name of 1..15 letters, digits, '-', '_' and '.', found 'if/0'"),
                c("the policy-based interface's name", file(connection("s", "203.0.113.10", "    interface: { name: ipsecd0 }\n", vnet)),
                        "6:24: connections.s.interface.name: 'ipsecd0' is ipsecd's interface for policy-based children: expected another name"),
                c("same name twice", file(connection("a", "203.0.113.10", "    interface: { name: vti0 }\n", vnet),
                                connection("b", "203.0.113.11", "    interface: { name: vti0 }\n", vnet)),
                        "13:24: connections.b.interface.name: interface 'vti0' is already the interface of connection 'a': expected a name of its own"),
                c("derived names collide", file(connection("azure-vnet-1", "203.0.113.10", "", vnet),
                                connection("azure-vnet-2", "203.0.113.11", "", vnet)),
                        "8:3: connections.azure-vnet-2.interface: the default interface name 'ipsec-azure-vne' is already the interface of connection 'azure-vnet-1': expected a name of its own (set interface.name)"),
                c("route with host bits", file(connection("s", "203.0.113.10", "    interface: { routes: [10.2.3.0/16] }\n", vnet)),
                        "6:27: connections.s.interface.routes[0]: '10.2.3.0/16' has host bits set: did you mean 10.2.0.0/16?"),
                c("route not a network", file(connection("s", "203.0.113.10", "    interface: { routes: [\"10.2.0.0/16[tcp]\"] }\n", vnet)),
                        "6:27: connections.s.interface.routes[0]: expected a network like 10.2.0.0/16 or 2001:db8::/32, found '10.2.0.0/16[tcp]' (routes take no [proto/port])"),
                c("route of a family the child does not carry", file(connection("s", "203.0.113.10",
                                "    interface: { routes: [\"fd00:2::/64\"] }\n", "      vnet: { local_ts: [0.0.0.0/0], remote_ts: [0.0.0.0/0] }\n")),
                        "6:27: connections.s.interface.routes[0]: route fd00:2::/64 is IPv6 but the route-based child 'vnet' carries no IPv6: add ::/0 to its local_ts and remote_ts"),
                c("route swallowing the peer", file(connection("s", "203.0.113.10", "    interface: { routes: [0.0.0.0/0] }\n", vnet)),
                        "6:27: connections.s.interface.routes[0]: route 0.0.0.0/0 contains the peer's address 203.0.113.10: IKE and ESP to the peer would enter the tunnel; expected a narrower route"),
                c("route twice", file(connection("s", "203.0.113.10", "    interface: { routes: [10.2.0.0/16, 10.2.0.0/16] }\n", vnet)),
                        "6:40: connections.s.interface.routes[1]: route 10.2.0.0/16 is listed twice"),
                c("route in two interfaces", file(connection("a", "203.0.113.10", "    interface: { routes: [10.2.0.0/16] }\n", vnet),
                                connection("b", "203.0.113.11", "    interface: { routes: [10.2.0.0/16] }\n", vnet)),
                        "13:27: connections.b.interface.routes[0]: route 10.2.0.0/16 already goes into the interface of connection 'a': expected each network routed into one interface"),
                c("route equal to a policy-based child's remote_ts", file(connection("s", "203.0.113.10",
                                "    interface: { routes: [10.2.0.0/16] }\n",
                                vnet + "      lan: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n")),
                        "6:27: connections.s.interface.routes[0]: route 10.2.0.0/16 is also the remote_ts of policy-based child 's/lan', which ipsecd routes into ipsecd0: expected each network routed into one interface"),
                c("a later policy-based child's remote_ts equal to a route", file(
                                connection("a", "203.0.113.10", "    interface: { routes: [10.2.0.0/16] }\n", vnet),
                                connection("b", "203.0.113.11", "", "      lan: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n")),
                        "14:7: connections.b.children.lan: remote_ts 10.2.0.0/16 of policy-based child 'lan' is also routed into the interface of connection 'a': expected each network routed into one interface"),
                c("mtu too small", file(connection("s", "203.0.113.10", "    interface: { mtu: 576 }\n", vnet)),
                        "6:23: connections.s.interface.mtu: expected an MTU in bytes 1280..9000, found '576'"),
                c("unknown interface key", file(connection("s", "203.0.113.10", "    interface: { route: [10.2.0.0/16] }\n", vnet)),
                        "6:18: connections.s.interface: unknown key 'route': expected one of name, routes, mtu (did you mean 'routes'?)"),
                c("mss too small", file(connection("s", "203.0.113.10", "", "      vnet: { " + ANY + ", mss_clamp: 100 }\n")),
                        "7:89: connections.s.children.vnet.mss_clamp: expected a TCP MSS in bytes 536..65535, found '100'"),
                c("mss not a number", file(connection("s", "203.0.113.10", "", "      vnet: { " + ANY + ", mss_clamp: yes }\n")),
                        "7:89: connections.s.children.vnet.mss_clamp: expected a TCP MSS in bytes 536..65535, found 'yes'"));
    }

    private static Arguments c(String name, String yaml, String... errors) {
        return Arguments.of(name, yaml, List.of(errors));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void reportsExactly(String name, String yaml, List<String> expected) {
        LoadResult r = TestFiles.parse(yaml, dir);
        assertThat(r).as(name).isInstanceOf(LoadResult.Invalid.class);
        List<String> actual = ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
        assertThat(actual).as(name).containsExactlyElementsOf(expected.stream().map(e -> "test.yaml:" + e).toList());
    }
}
