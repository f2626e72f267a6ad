package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipsecd.testbed.Probe.CaptureResult;
import io.ipsecd.testbed.Probe.PingResult;
import io.ipsecd.testbed.Probe.TransferResult;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route-based mode against strongSwan 5.9.8 (kernel-libipsec) configured as Azure's route-based
 * gateways are: local_ts = remote_ts = 0.0.0.0/0, ::/0. ipsecd on corp-gw has a route-based child
 * with its connection's own interface, the cloud LAN routed into it from its config, and MSS
 * clamping at 1350. On cloud-gw, policy rules keep the WAN and LAN out of the routing table where
 * libipsec routes everything into its TUN, and the corp LAN is routed into that TUN (see
 * {@link #routeStrongSwanSide} and docs/testbed.md).
 */
@Testbed
class RouteBasedTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final long MIB = 1024 * 1024;
    private static final String PSK = "a-long-random-shared-secret-for-route-based";
    private static final String INTERFACE = "ipsec-s2s"; // derived from the connection name
    private static final List<String> ANY = List.of("0.0.0.0/0", "::/0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aRouteBasedChildCarriesTrafficToStrongSwanWithAnyToAnySelectors() {
        String marker = marker();
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), List.of(child("net", ANY, 0)), List.of())));
            routeStrongSwanSide(lab.cloud(), lab.corp());
            ours.load(List.of(tunnel(lab.corp(), lab.cloud(), List.of(child("net", ANY, 1350)), cloudLan(lab))));
            WanTcpdump capture = WanTcpdump.start(lab);
            ours.initiate("s2s", "net", UP);

            String routes = Netns.ip(lab.corp().gatewayNs(), "route", "show", "dev", INTERFACE).out()
                    + Netns.ip(lab.corp().gatewayNs(), "-6", "route", "show", "dev", INTERFACE).out();
            assertThat(routes).as("the configured routes, in the connection's own interface")
                    .contains(lab.cloud().lan().v4()).contains(lab.cloud().lan().v6());
            JsonNode status = ours.status();
            JsonNode connections = status.has("result") ? status.path("result").path("connections") : status.path("connections");
            assertThat(connections.get(0).path("children").get(0).path("interfaceName").asText())
                    .as("status names the child's interface").isEqualTo(INTERFACE);
            SaInfo.ChildSa child = theirs.listSas().getFirst().children().getFirst();
            assertThat(child.localTs()).as("strongSwan agreed to any-to-any").contains("0.0.0.0/0", "::/0");

            List<PingResult> pings = HostProbes.ping(lab.corp(), lab.cloud(), new Probe.Ping(5, 0.2), marker);
            assertThat(pings).allSatisfy(p -> assertThat(p.received()).as(p.family()).isEqualTo(p.sent()));
            TransferResult transfer = HostProbes.transfer(lab, lab.corp(), lab.cloud(), 256 * MIB, marker);
            assertThat(transfer.bytes()).isEqualTo(256 * MIB);
            assertThat(transfer.receivedSha256()).isEqualTo(transfer.sentSha256());
            int[] mss = negotiatedMss(lab);
            CaptureResult wan = capture.finish(marker);
            assertCleanWan(wan, 256 * MIB);
            assertThat(mss[0]).as("corp-host's MSS toward cloud: the SYN-ACK was clamped coming in").isLessThanOrEqualTo(1350);
            assertThat(mss[1]).as("cloud-host's MSS toward corp: the SYN was clamped going out").isLessThanOrEqualTo(1350);
            System.out.printf("route-based ipsecd -> strongSwan 5.9.8: 256 MiB in %.2f s = %.2f Gbit/s; MSS %d/%d; %s%n",
                    transfer.seconds(), transfer.gbps(), mss[0], mss[1], wan);
        }
    }

    @Test
    void aReloadCreatesAndRemovesTheInterfaceOfARouteBasedConnection() {
        try (Lab lab = Topologies.siteToSite()) {
            Site corp = lab.corp();
            Ipsecd ours = Ipsecd.start(lab, corp);
            // IPv6 policy-based: its remote_ts is routed into ipsecd0; the route-based interface takes IPv4.
            Child lan = new Child("lan", List.of(corp.lan().v6()), List.of(lab.cloud().lan().v6()), List.of("aes256gcm16"),
                    TunnelConfig.StartAction.NONE);
            ours.load(List.of(tunnel(corp, lab.cloud(), List.of(lan), List.of())));
            assertThat(interfaceExists(corp)).isFalse();

            Path config = lab.dir(corp.name() + "-ipsecd").resolve("ipsecd.yaml");
            write(config, IpsecdYaml.render(List.of(tunnel(corp, lab.cloud(), List.of(lan, child("any", ANY, 0)),
                    List.of(lab.cloud().lan().v4()))), config.getParent()));
            ours.ipsecctl("reload").check();
            assertThat(interfaceExists(corp)).as("added by the reload").isTrue();
            assertThat(Netns.ip(corp.gatewayNs(), "route", "show", "dev", INTERFACE).out()).contains(lab.cloud().lan().v4());
            assertThat(Netns.ip(corp.gatewayNs(), "-6", "route", "show", "dev", "ipsecd0").out())
                    .as("the policy-based child's route stays in ipsecd0").contains(lab.cloud().lan().v6());

            write(config, IpsecdYaml.render(List.of(tunnel(corp, lab.cloud(), List.of(lan), List.of())), config.getParent()));
            ours.ipsecctl("reload").check();
            assertThat(interfaceExists(corp)).as("removed by the reload").isFalse();
        }
    }

    private static boolean interfaceExists(Site site) {
        return Exec.run(Netns.SHORT, "ip", "-n", site.gatewayNs(), "link", "show", INTERFACE).ok();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void twoIpsecdGatewaysRouteBasedOnBothSides() {
        String marker = marker();
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd cloud = Ipsecd.start(lab, lab.cloud());
            Ipsecd corp = Ipsecd.start(lab, lab.corp());
            cloud.load(List.of(tunnel(lab.cloud(), lab.corp(), List.of(child("net", ANY, 1350)),
                    List.of(lab.corp().lan().v4(), lab.corp().lan().v6()))));
            corp.load(List.of(tunnel(lab.corp(), lab.cloud(), List.of(child("net", ANY, 1350)), cloudLan(lab))));
            WanTcpdump capture = WanTcpdump.start(lab);
            corp.initiate("s2s", "net", UP);
            List<PingResult> pings = HostProbes.ping(lab.corp(), lab.cloud(), new Probe.Ping(5, 0.2), marker);
            assertThat(pings).allSatisfy(p -> assertThat(p.received()).as(p.family()).isEqualTo(p.sent()));
            TransferResult transfer = HostProbes.transfer(lab, lab.corp(), lab.cloud(), 256 * MIB, marker);
            assertThat(transfer.receivedSha256()).isEqualTo(transfer.sentSha256());
            CaptureResult wan = capture.finish(marker);
            assertCleanWan(wan, 256 * MIB);
            System.out.printf("route-based ipsecd -> ipsecd: 256 MiB in %.2f s = %.2f Gbit/s; %s%n", transfer.seconds(),
                    transfer.gbps(), wan);
        }
    }

    @Test
    void withTheChildDownTrafficRoutedIntoItsInterfaceIsDroppedAndCounted() {
        String marker = marker();
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), List.of(child("net", ANY, 0)), List.of())));
            routeStrongSwanSide(lab.cloud(), lab.corp());
            ours.load(List.of(tunnel(lab.corp(), lab.cloud(), List.of(child("net", ANY, 0)), cloudLan(lab))));
            ours.initiate("s2s", "net", UP);
            assertThat(HostProbes.ping(lab.corp(), lab.cloud(), new Probe.Ping(2, 0.2), marker))
                    .allSatisfy(p -> assertThat(p.received()).isEqualTo(p.sent()));

            ours.ipsecctl("down", "s2s").check();
            awaitNoSas(ours);
            assertThat(interfaceExists(lab.corp())).as("the interface stays while the child is down").isTrue();
            long before = drops(ours, "noSa");
            WanTcpdump capture = WanTcpdump.start(lab);
            List<PingResult> pings = HostProbes.ping(lab.corp(), lab.cloud(), new Probe.Ping(5, 0.2), marker);
            CaptureResult wan = capture.finish(marker);
            assertThat(pings).allSatisfy(p -> assertThat(p.received()).as(p.family() + " with the child down").isZero());
            assertThat(wan.markerFound()).as("nothing in clear: " + wan).isFalse();
            assertThat(wan.otherPackets()).as("only IKE/ESP on the WAN: " + wan).isZero();
            assertThat(wan.espPackets()).as("no SA, so no ESP either: " + wan).isZero();
            assertThat(drops(ours, "noSa") - before).as("the pings, dropped and counted as having no SA:\n"
                    + ours.ipsecctl("stats").out())
                    .isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void aPolicyBasedAndARouteBasedChildCoexist() {
        String marker = marker();
        try (Lab lab = Topologies.siteToSite()) {
            Site corp = lab.corp();
            Site cloud = lab.cloud();
            Ipsecd ours = Ipsecd.start(lab, corp);
            StrongSwan theirs = StrongSwan.start(lab, cloud, StrongSwanVersion.V5_9_8);
            // IPv4 route-based, IPv6 policy-based (its route is derived from remote_ts on ipsecd0).
            theirs.load(List.of(tunnel(cloud, corp, List.of(child("any4", List.of("0.0.0.0/0"), 0),
                    new Child("lan6", List.of(cloud.lan().v6()), List.of(corp.lan().v6()), List.of("aes256gcm16"),
                            TunnelConfig.StartAction.NONE)), List.of())));
            routeStrongSwanSide(cloud, corp);
            ours.load(List.of(tunnel(corp, cloud, List.of(child("any4", List.of("0.0.0.0/0"), 1350),
                    new Child("lan6", List.of(corp.lan().v6()), List.of(cloud.lan().v6()), List.of("aes256gcm16"),
                            TunnelConfig.StartAction.NONE)), List.of(cloud.lan().v4()))));
            WanTcpdump capture = WanTcpdump.start(lab);
            ours.initiate("s2s", "any4", UP);
            awaitInstalledChildren(ours, 2);
            assertThat(Netns.ip(corp.gatewayNs(), "route", "show", "dev", INTERFACE).out()).contains(cloud.lan().v4());
            assertThat(Netns.ip(corp.gatewayNs(), "-6", "route", "show", "dev", "ipsecd0").out()).contains(cloud.lan().v6());

            List<PingResult> pings = HostProbes.ping(corp, cloud, new Probe.Ping(5, 0.2), marker);
            assertThat(pings).allSatisfy(p -> assertThat(p.received()).as(p.family()).isEqualTo(p.sent()));
            TransferResult transfer = HostProbes.transfer(lab, corp, cloud, 64 * MIB, marker);
            assertThat(transfer.receivedSha256()).isEqualTo(transfer.sentSha256());
            CaptureResult wan = capture.finish(marker);
            assertCleanWan(wan, 64 * MIB);
            List<SaInfo.ChildSa> children = ours.listSas().getFirst().children();
            assertThat(children).as("both children carried their family").allSatisfy(c ->
                    assertThat(c.packetsOut()).as(c.name()).isPositive());
        }
    }

    // ---- lab setup ----

    private static Child child(String name, List<String> ts, int mss) {
        return new Child(name, ts, ts, List.of("aes256gcm16"), TunnelConfig.StartAction.NONE, mss);
    }

    private static TunnelConfig tunnel(Site local, Site remote, List<Child> children, List<String> routes) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk(PSK), children).withRoutes(routes);
    }

    private static List<String> cloudLan(Lab lab) {
        return List.of(lab.cloud().lan().v4(), lab.cloud().lan().v6());
    }

    /**
     * Route-based on strongSwan's side. libipsec routes a remote_ts of 0.0.0.0/0 into its TUN in
     * table 220, which charon's rule looks up before the main table: the gateway's own WAN and LAN
     * would go into the tunnel too, decrypted packets for its LAN included. Rules ahead of table 220
     * send those to the main table. For ::/0, 5.9.8 installs no route at all, so the corp LAN's
     * IPv6 prefix is routed into ipsec0 here, as an admin would (IPv4 too, for symmetry).
     */
    private static void routeStrongSwanSide(Site site, Site remote) {
        String ns = site.gatewayNs();
        Netns.ip(ns, "route", "replace", remote.lan().v4(), "dev", "ipsec0");
        Netns.ip(ns, "-6", "route", "replace", remote.lan().v6(), "dev", "ipsec0");
        Netns.ip(ns, "rule", "add", "priority", "100", "to", "192.0.2.0/24", "lookup", "main");
        Netns.ip(ns, "rule", "add", "priority", "101", "to", site.lan().v4(), "lookup", "main");
        Netns.ip(ns, "-6", "rule", "add", "priority", "100", "to", "2001:db8:ffff::/64", "lookup", "main");
        Netns.ip(ns, "-6", "rule", "add", "priority", "101", "to", site.lan().v6(), "lookup", "main");
        Netns.ip(ns, "-6", "rule", "add", "priority", "102", "to", "fe80::/10", "lookup", "main");
    }

    // ---- checks ----

    private static String marker() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return "IPT-PLAINTEXT-MARKER-" + HexFormat.of().formatHex(b);
    }

    private static void assertCleanWan(CaptureResult c, long transferred) {
        assertThat(c.markerFound()).as("plaintext marker on the WAN: " + c).isFalse();
        assertThat(c.otherPackets()).as("non-IKE/ESP traffic on the WAN: " + c).isZero();
        assertThat(c.ikePackets()).as("IKE on the WAN: " + c).isPositive();
        assertThat(c.espBytes()).as("the transfer crossed as ESP: " + c).isGreaterThanOrEqualTo(transferred / 2);
    }

    /**
     * A TCP connection from corp-host to cloud-host: each end's TCP_MAXSEG, the MSS it may send,
     * which the other end announced in its SYN or SYN-ACK (less 12 bytes of timestamps).
     */
    private static int[] negotiatedMss(Lab lab) {
        Path log = lab.dir("probes").resolve("mss-server.log");
        String server = "import socket\n"
                + "s = socket.socket(socket.AF_INET)\n"
                + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('0.0.0.0', 5003)); s.listen(1); s.settimeout(20)\n"
                + "print('listening', flush=True)\n"
                + "c, _ = s.accept()\n"
                + "print('mss', c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG), flush=True)\n"
                + "c.recv(1)\n";
        Process p = Exec.start(log, Netns.exec(lab.cloud().hostNs(), List.of(HostProbes.python(), "-c", server)), Map.of());
        try {
            HostProbes.awaitText(log, "listening", Duration.ofSeconds(10));
            String client = "import socket, time\n"
                    + "c = socket.create_connection(('%s', 5003), timeout=10)\n".formatted(lab.cloud().hostAddress().v4())
                    + "print(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG), flush=True)\n"
                    + "time.sleep(1); c.send(b'x')\n";
            int corpSide = Integer.parseInt(Netns.run(lab.corp().hostNs(), Duration.ofSeconds(20), HostProbes.python(),
                    "-c", client).check().out().strip());
            HostProbes.awaitText(log, "mss ", Duration.ofSeconds(10));
            String line = Exec.tail(log, 400).lines().filter(l -> l.startsWith("mss ")).findFirst().orElseThrow();
            return new int[] {corpSide, Integer.parseInt(line.substring(4).strip())};
        } finally {
            Exec.stop(p, Duration.ofSeconds(2));
        }
    }

    private static long drops(Ipsecd d, String reason) {
        try {
            JsonNode root = JSON.readTree(d.ipsecctl("stats", "--json").check().out());
            JsonNode stats = root.has("result") ? root.path("result") : root;
            return stats.path("dataplane").path("drops").path(reason).asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("ipsecctl stats printed no JSON", e);
        }
    }

    private static void awaitNoSas(Ipsecd d) {
        long deadline = System.nanoTime() + UP.toNanos();
        while (System.nanoTime() < deadline && !d.listSas().isEmpty()) {
            Exec.sleep(200);
        }
        assertThat(d.listSas()).as("down removed the SAs").isEmpty();
    }

    private static void awaitInstalledChildren(Ipsecd d, int count) {
        long deadline = System.nanoTime() + UP.toNanos();
        while (System.nanoTime() < deadline) {
            if (d.listSas().stream().mapToLong(s -> s.children().stream().filter(SaInfo.ChildSa::installed).count()).sum()
                    >= count) {
                return;
            }
            Exec.sleep(200);
        }
        throw new AssertionError(d.describe() + ": expected " + count + " installed children, got " + d.listSas());
    }
}
