package io.ipsecd.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipsecd.testbed.Probe.CaptureResult;
import io.ipsecd.testbed.Probe.IperfResult;
import io.ipsecd.testbed.Probe.PingResult;
import io.ipsecd.testbed.Probe.TransferResult;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The README's first command: two ipsecd gateways in a namespace lab join a corporate site to a
 * cloud site, and the walk-through shows what an admin would type and see: the tunnel coming up,
 * pings and a checked transfer across it, the counters, forged ESP being dropped, the tunnel
 * failing closed when it goes down, and a WAN capture with only IKE and ESP in it.
 *
 * <p>Usage: {@code Demo [--keep | --teardown]}. Needs root. Without {@code --keep} the lab is
 * removed at exit, also on failure or Ctrl-C (the lab's exit hook); {@code --teardown} removes a
 * kept lab.
 */
public final class Demo {
    static final String CONNECTION = "corp-cloud";
    static final long TRANSFER_BYTES = 64 * Probe.MiB;
    static final int IPERF_SECONDS = 3;
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the walk-through saw; {@code DemoTest} checks it. */
    record Outcome(String lab, List<String> namespaces, List<PingResult> pings, TransferResult transfer,
                   IperfResult iperf, Counters afterTraffic, Counters afterForgery, List<PingResult> whileDown,
                   CaptureResult capture) {}

    /** The corp gateway's Child SA counters, from {@code ipsecctl list-sas --json}. */
    record Counters(String spiIn, boolean udpEncap, long packetsIn, long bytesIn, long packetsOut, long bytesOut,
                    long replayDropsIn, long icvFailuresIn) {
        static Counters of(JsonNode child) {
            return new Counters(child.path("spiIn").asText(), child.path("udpEncap").asBoolean(),
                    child.path("packetsIn").asLong(), child.path("bytesIn").asLong(), child.path("packetsOut").asLong(),
                    child.path("bytesOut").asLong(), child.path("replayDropsIn").asLong(),
                    child.path("icvFailuresIn").asLong());
        }
    }

    private final DemoConsole console;
    private final boolean keep;
    private final long transferBytes;
    private final int iperfSeconds;
    private Ipsecd corp;
    private Ipsecd cloud;

    /** The test runs a shorter transfer and iperf3 than the demo; everything else is the same. */
    Demo(PrintStream out, boolean keep, long transferBytes, int iperfSeconds) {
        this.console = new DemoConsole(out);
        this.keep = keep;
        this.transferBytes = transferBytes;
        this.iperfSeconds = iperfSeconds;
    }

    public static void main(String[] args) {
        // Before any logger exists: warnings only, so Pcap4J's start-up chatter stays out of the walk-through.
        System.setProperty("logback.configurationFile", "io/ipsecd/testbed/demo-logback.xml");
        boolean keep = false;
        boolean teardown = false;
        for (String a : args) {
            switch (a) {
                case "--keep" -> keep = true;
                case "--teardown" -> teardown = true;
                default -> {
                    System.err.println("usage: demo.sh [--keep | --teardown]\n  --keep      leave the lab running and "
                            + "print how to look around\n  --teardown  remove a lab left by --keep");
                    System.exit(a.equals("--help") || a.equals("-h") ? 0 : 2);
                }
            }
        }
        if (!TestbedExtension.isRoot()) {
            System.err.println("the demo builds network namespaces and needs root: run sudo ./demo.sh");
            System.exit(3);
        }
        if (teardown) {
            List<String> removed = Sweep.run();
            System.out.println(removed.isEmpty() ? "no lab left behind: nothing to remove"
                    : "removed " + String.join("\n        ", removed));
            return;
        }
        try {
            new Demo(System.out, keep, TRANSFER_BYTES, IPERF_SECONDS).run();
        } catch (RuntimeException | AssertionError e) {
            System.err.println("\ndemo failed: " + e.getMessage());
            System.exit(1);
        }
    }

    Outcome run() {
        long start = System.nanoTime();
        Lab lab = Topologies.siteToSite();
        boolean kept = false;
        try {
            Outcome o = walkThrough(lab);
            if (keep) {
                bringUpAgain(lab);
                lab.keepAfterExit();
                kept = true;
                console.keepInstructions(lab, corp, cloud);
            }
            console.say("%nthe walk-through took %.0f s".formatted((System.nanoTime() - start) / 1e9));
            return o;
        } catch (RuntimeException | AssertionError e) {
            console.say("\nsomething went wrong; the daemons' last log lines:" + lab.logTails(1500));
            throw e;
        } finally {
            if (!kept) {
                console.step("Removing the lab");
                lab.close();
                long left = Netns.list().stream().filter(ns -> ns.startsWith(lab.name() + "-")).count();
                console.say(left == 0 ? "ip netns list: none of this lab's namespaces is left" : left + " namespaces left!");
            }
        }
    }

    private Outcome walkThrough(Lab lab) {
        Site c = lab.corp();
        Site k = lab.cloud();
        String marker = "CORP-CONFIDENTIAL-" + hex(6);
        console.intro(lab, marker);

        console.step("1. The lab: a gateway and a host per site, a WAN between the gateways");
        console.say("A gateway knows only its own LAN and the WAN: without a tunnel nothing crosses, in clear or not.");
        console.run(c.gatewayNs(), "ip", "-br", "addr");
        console.run(c.gatewayNs(), "ip", "route");

        console.step("2. Configure and start ipsecd on both gateways");
        corp = Ipsecd.start(lab, c);
        cloud = Ipsecd.start(lab, k);
        for (Ipsecd g : List.of(corp, cloud)) {
            console.shown(g.site().gatewayNs(), List.of("bin/ipsecd", "--config", g.configFile().toString(), "--socket",
                    g.socket().toString(), "--log-level", "debug", "&"));
        }
        String psk = hex(24);
        CompletableFuture<Void> cloudStarted = CompletableFuture.runAsync(
                () -> cloud.load(List.of(tunnel(k, c, true, psk))));
        corp.load(List.of(tunnel(c, k, false, psk)));
        try {
            cloudStarted.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        console.say("corp-gw's config (the PSK is in a 0600 file, never in the YAML):");
        console.cat(corp.configFile());
        console.ctl(corp, "status");

        console.step("3. Capture everything on the WAN from now on");
        WanTcpdump capture = WanTcpdump.start(lab);
        console.shown(lab.wanTapNs(), List.of("tcpdump", "-i", lab.wanTapInterface(), "-w",
                lab.dir("capture").resolve("wan.pcap").toString(), "&"));

        console.step("4. Bring the tunnel up from the corp side");
        long upStart = System.nanoTime();
        console.ctl(corp, "up", CONNECTION).check();
        awaitChild(corp, true);
        console.say("IKE SA and Child SA installed %d ms after 'up' (that includes starting ipsecctl, a JVM, twice)"
                .formatted((System.nanoTime() - upStart) / 1_000_000));
        console.ctl(corp, "list-sas");
        console.say("The cloud LAN is now routed into ipsecd's TUN device:");
        console.run(c.gatewayNs(), "ip", "route");

        console.step("5. Traffic across: ping over IPv4 and IPv6, corp-host to cloud-host");
        List<PingResult> pings = new ArrayList<>();
        pings.add(console.ping(c, k.hostAddress().v4(), marker, 3));
        pings.add(console.ping(c, k.hostAddress().v6(), marker, 3));
        for (PingResult p : pings) {
            if (p.received() != p.sent()) throw new IllegalStateException("ping " + p.family() + " lost packets: " + p);
        }

        console.step("6. A %d MiB TCP transfer with a content check, and %d s of iperf3".formatted(
                transferBytes >> 20, iperfSeconds));
        console.say("python3 transfer.py sends random data with the marker every 64 KiB; both ends hash what they saw.");
        TransferResult t = HostProbes.transfer(lab, c, k, transferBytes, marker);
        if (t.bytes() != transferBytes || !t.sentSha256().equals(t.receivedSha256())) {
            throw new IllegalStateException("transfer corrupted: " + t);
        }
        console.say("  %d MiB in %.2f s (%.2f Gbit/s); SHA-256 sent %s = received %s".formatted(t.bytes() >> 20,
                t.seconds(), t.gbps(), t.sentSha256().substring(0, 16), t.receivedSha256().substring(0, 16)));
        console.shown(k.hostNs(), List.of("iperf3", "-s", "-1", "&"));
        console.shown(c.hostNs(), List.of("iperf3", "-c", k.hostAddress().v4(), "-t", "" + iperfSeconds));
        IperfResult iperf = HostProbes.iperf(lab, c, k, new Probe.Iperf(1, iperfSeconds));
        console.say("  %.2f Gbit/s, %d retransmits".formatted(iperf.gbps(), iperf.retransmits()));

        console.step("7. What each gateway counted");
        Counters afterTraffic = counters(corp);
        if (afterTraffic.packetsIn() == 0 || afterTraffic.packetsOut() == 0 || afterTraffic.bytesOut() < transferBytes) {
            throw new IllegalStateException("the corp gateway's counters did not follow the traffic: " + afterTraffic);
        }
        console.ctl(corp, "list-sas");
        console.ctl(cloud, "list-sas");

        console.step("8. An attacker on the WAN replays and forges ESP");
        console.say("From cloud-gw's address: SPI %s with sequence number 1 (long seen), then a new sequence number "
                .formatted(afterTraffic.spiIn()) + "with a made-up ciphertext. ipsecd drops both and counts them.");
        String script = HostProbes.resource(lab, "esp_forge.py").toString();
        String transport = afterTraffic.udpEncap() ? "udp" : "raw";
        for (String seq : List.of("1", "0x7ffffff0")) {
            console.run(k.gatewayNs(), HostProbes.python(), script, transport, c.wanAddress().v4(), afterTraffic.spiIn(), seq)
                    .check();
        }
        Counters afterForgery = awaitForgeryCounted(corp, afterTraffic);
        console.ctl(corp, "list-sas");

        console.step("9. The tunnel goes down: traffic is dropped, never sent in clear");
        console.ctl(corp, "down", CONNECTION).check();
        awaitChild(corp, false);
        console.say("The child keeps its routes into the TUN and a drop policy: its packets are dropped and counted "
                + "as 'no SA' in stats, never routed elsewhere in clear.");
        List<PingResult> whileDown = List.of(console.ping(c, k.hostAddress().v4(), marker, 2));
        if (whileDown.getFirst().received() != 0) throw new IllegalStateException("pings crossed without a tunnel");
        console.ctl(corp, "stats");
        console.ctl(cloud, "stats");

        console.step("10. What crossed the WAN");
        CaptureResult wan = capture.finish(marker);
        console.run(null, "tcpdump", "-r", lab.dir("capture").resolve("wan.pcap").toString(), "-nn", "-c", "12");
        console.say(("%d frames on the WAN: %d IKE, %d ESP (%d MiB), %d ARP/neighbour discovery, %d anything else;%n"
                + "the marker %s appears in %s of them.").formatted(wan.packets(), wan.ikePackets(), wan.espPackets(),
                wan.espBytes() >> 20, wan.housekeeping(), wan.otherPackets(), marker, wan.markerFound() ? "SOME" : "none"));
        if (wan.markerFound() || wan.otherPackets() > 0 || wan.espPackets() == 0 || wan.ikePackets() == 0
                || wan.espBytes() < transferBytes / 2) {
            throw new IllegalStateException("the WAN capture is not clean: " + wan);
        }
        return new Outcome(lab.name(), lab.namespaces(), pings, t, iperf, afterTraffic, afterForgery, whileDown, wan);
    }

    private void bringUpAgain(Lab lab) {
        console.step("Bringing the tunnel up again for you to look around");
        console.ctl(corp, "up", CONNECTION).check();
        awaitChild(corp, true);
        console.ping(lab.corp(), lab.cloud().hostAddress().v4(), "demo", 1);
    }

    /** The corp side initiates to the cloud's WAN address; both sides protect LAN to LAN, both families. */
    static TunnelConfig tunnel(Site local, Site remote, boolean responder, String psk) {
        Site corpSite = responder ? remote : local;
        Site cloudSite = responder ? local : remote;
        return new TunnelConfig(corpSite.name() + "-" + cloudSite.name(),
                new TunnelConfig.Endpoint(local.wanAddress().v4(), local.name()),
                new TunnelConfig.Endpoint(remote.publicAddress().v4(), remote.name()),
                List.of("aes256gcm16-prfsha384-x25519"), new TunnelConfig.Psk(psk),
                List.of(new TunnelConfig.Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), List.of("aes256gcm16"),
                        TunnelConfig.StartAction.NONE)));
    }

    /** The first Child SA's counters; throws when there is none. */
    static Counters counters(Ipsecd gateway) {
        JsonNode child = childJson(gateway);
        if (child == null) throw new IllegalStateException(gateway.describe() + " lists no Child SA");
        return Counters.of(child);
    }

    private static JsonNode childJson(Ipsecd gateway) {
        Exec.Result r = gateway.ipsecctl("list-sas", "--json");
        if (!r.ok()) return null;
        try {
            JsonNode child = JSON.readTree(r.out()).at("/ikeSas/0/children/0");
            return child.isMissingNode() ? null : child;
        } catch (IOException e) {
            throw new IllegalStateException("ipsecctl printed no JSON: " + r.out(), e);
        }
    }

    private static void awaitChild(Ipsecd gateway, boolean installed) {
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean up = gateway.listSas().stream().anyMatch(sa -> sa.established()
                    && sa.children().stream().anyMatch(SaInfo.ChildSa::installed));
            if (up == installed) return;
            if (!Exec.sleep(200)) break;
        }
        throw new IllegalStateException(gateway.describe() + ": " + CONNECTION + " not " + (installed ? "up" : "down")
                + " within " + UP_TIMEOUT.toSeconds() + " s");
    }

    /** The data plane counts on its own threads: wait (bounded) until both forged packets show. */
    static Counters awaitForgeryCounted(Ipsecd gateway, Counters before) {
        Counters now = before;
        for (int i = 0; i < 50; i++) {
            now = counters(gateway);
            if (now.replayDropsIn() > before.replayDropsIn() && now.icvFailuresIn() > before.icvFailuresIn()) return now;
            if (!Exec.sleep(100)) break;
        }
        throw new IllegalStateException("forged ESP not counted as replay and ICV failure: before " + before + ", after " + now);
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
