package io.ipsecd.testbed;

import io.ipsecd.testbed.SaInfo.IkeSa;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab, a peer on each gateway, a tunnel between them and probes through it, in a few lines:
 * <pre>{@code
 * Scenario.siteToSite().corp(strongswan(V5_9_8)).cloud(strongswan(V6_1_0))
 *         .proposals("aes256gcm16-prfsha384-x25519").psk()
 *         .probes(ping(), transfer(200 * MiB), wanCapture()).run();
 * }</pre>
 * {@link #run} throws an {@link AssertionError} carrying the tail of every daemon log when a
 * tunnel does not come up or a probe finds something wrong; speed is reported, never asserted.
 */
public final class Scenario {
    private final Topologies.Kind kind;
    private final int corpSites;
    private Peer corp;
    private Peer cloud;
    private boolean plain;
    private List<String> proposals = List.of("aes256gcm16-prfsha384-x25519");
    private List<String> espProposals = List.of("aes256gcm16");
    private TunnelConfig.Auth auth;
    private List<Probe> probes = List.of(Probe.ping());
    private Duration upTimeout = Duration.ofSeconds(20);
    private String name;
    private boolean encap;
    private java.util.function.Consumer<Lab> whileUp = lab -> { };

    private Scenario(Topologies.Kind kind, int corpSites) {
        this.kind = kind;
        this.corpSites = corpSites;
    }

    public static Scenario siteToSite() { return new Scenario(Topologies.Kind.SITE_TO_SITE, 1); }
    public static Scenario nat() { return new Scenario(Topologies.Kind.NAT, 1); }
    public static Scenario multiSite(int corpSites) { return new Scenario(Topologies.Kind.MULTI_SITE, corpSites); }

    /** The peer on every corp gateway (the initiators). */
    public Scenario corp(Peer peer) { this.corp = peer; return this; }
    /** The peer on the cloud gateway (the responder). */
    public Scenario cloud(Peer peer) { this.cloud = peer; return this; }
    /** No tunnel at all: the gateways route the LANs in clear (the baseline). */
    public Scenario plainRouting() { this.plain = true; return this; }
    public Scenario proposals(String... ike) { this.proposals = List.of(ike); return this; }
    public Scenario espProposals(String... esp) { this.espProposals = List.of(esp); return this; }
    public Scenario psk() { return psk(randomSecret()); }
    public Scenario psk(String secret) { this.auth = new TunnelConfig.Psk(secret); return this; }
    public Scenario probes(Probe... probes) { this.probes = List.of(probes); return this; }
    public Scenario upTimeout(Duration timeout) { this.upTimeout = timeout; return this; }
    public Scenario named(String name) { this.name = name; return this; }
    /** Both gateways force ESP-in-UDP even without a NAT (strongSwan's libipsec always uses it anyway). */
    public Scenario encap() { this.encap = true; return this; }
    /** Runs after the probes while the tunnel is still up (inspection, holding a lab for a kill test). */
    public Scenario whileUp(java.util.function.Consumer<Lab> action) { this.whileUp = action; return this; }

    public String name() {
        if (name != null) return name;
        String peers = plain ? "plain routing" : corp.label() + " <-> " + cloud.label();
        return kind.name().toLowerCase().replace('_', '-') + " " + peers + (plain ? "" : " " + String.join(",", proposals));
    }

    public ScenarioReport run() {
        if (!plain && (corp == null || cloud == null)) throw new IllegalStateException("set corp() and cloud() peers");
        if (!plain && auth == null) psk();
        String marker = "IPT-PLAINTEXT-MARKER-" + randomHex(6);
        long start = System.nanoTime();
        try (Lab lab = Topologies.create(kind, corpSites)) {
            try {
                return runIn(lab, marker, start);
            } catch (Throwable t) {
                AssertionError e = new AssertionError(name() + " failed in lab " + lab.name() + ": " + t.getMessage()
                        + "\nlab directory: " + lab.dir() + lab.logTails(3000), t);
                throw e;
            }
        }
    }

    private ScenarioReport runIn(Lab lab, String marker, long start) {
        Gateway cloudGw = null;
        List<Gateway> corpGws = new ArrayList<>();
        if (plain) {
            lab.enablePlainRouting();
        } else {
            cloudGw = cloud.start(lab, lab.cloud());
            for (Site s : lab.corps()) corpGws.add(corp.start(lab, s));
            List<TunnelConfig> cloudTunnels = new ArrayList<>();
            for (int i = 0; i < corpGws.size(); i++) {
                Site s = lab.corps().get(i);
                corpGws.get(i).load(List.of(tunnel(s, lab.cloud(), false)));
                cloudTunnels.add(tunnel(lab.cloud(), s, true));
            }
            cloudGw.load(cloudTunnels);
        }
        Duration setup = Duration.ofNanos(System.nanoTime() - start);
        List<Probe.Result> results = new ArrayList<>();
        WanTcpdump capture = probes.contains(Probe.wanCapture()) ? WanTcpdump.start(lab) : null;
        Process firstPing = probes.contains(Probe.firstPacket()) && !plain
                ? HostProbes.startFirstPacketPing(lab, lab.corp(), lab.cloud()) : null;
        long upStartMillis = System.currentTimeMillis();
        long upStart = System.nanoTime();
        for (int i = 0; i < corpGws.size(); i++) {
            corpGws.get(i).initiate(connectionName(lab.corps().get(i), lab.cloud()), "net", upTimeout);
        }
        Duration up = Duration.ofNanos(System.nanoTime() - upStart);
        if (firstPing != null) results.add(HostProbes.awaitFirstPacket(lab, firstPing, upStartMillis));
        if (!plain) {
            for (Gateway g : corpGws) checkUp(g, 1);
            checkUp(cloudGw, corpGws.size());
        }
        long transferred = 0;
        for (Probe p : probes) {
            switch (p) {
                case Probe.Ping ping -> {
                    for (Site s : lab.corps()) results.addAll(check(HostProbes.ping(s, lab.cloud(), ping, marker)));
                }
                case Probe.Transfer t -> {
                    results.add(check(HostProbes.transfer(lab, lab.corp(), lab.cloud(), t.bytes(), t.family(), marker), t.bytes()));
                    transferred += t.bytes();
                }
                case Probe.Iperf i -> results.add(HostProbes.iperf(lab, lab.corp(), lab.cloud(), i));
                case Probe.WanCapture w -> { } // wraps the run: started above, checked below
                case Probe.FirstPacket f -> { }
            }
        }
        if (capture != null) results.add(check(capture.finish(marker), transferred));
        whileUp.accept(lab);
        Map<String, List<IkeSa>> sas = new LinkedHashMap<>();
        for (Gateway g : corpGws) sas.put(g.site().name(), g.listSas());
        if (cloudGw != null) sas.put(cloudGw.site().name(), cloudGw.listSas());
        return new ScenarioReport(name(), Duration.ofNanos(System.nanoTime() - start), setup, up, results, sas);
    }

    /** The corp side initiates to the cloud's WAN address; the cloud expects the corp's public (maybe NATed) one. */
    private TunnelConfig tunnel(Site local, Site remote, boolean responder) {
        Site corpSite = responder ? remote : local;
        String localAddr = local.wanAddress().v4();
        String remoteAddr = remote.publicAddress().v4();
        return new TunnelConfig(connectionName(corpSite, responder ? local : remote),
                new Endpoint(localAddr, local.name()), new Endpoint(remoteAddr, remote.name()), proposals, auth,
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), espProposals, TunnelConfig.StartAction.NONE)),
                encap);
    }

    private static String connectionName(Site corp, Site cloud) { return corp.name() + "-" + cloud.name(); }

    private static void checkUp(Gateway g, int expected) {
        List<IkeSa> sas = g.listSas();
        long up = sas.stream().filter(sa -> sa.established() && sa.children().stream().anyMatch(SaInfo.ChildSa::installed))
                .count();
        if (up != expected) {
            throw new AssertionError(g.describe() + ": expected " + expected + " established SA(s) with an installed child, got " + sas);
        }
    }

    private static List<Probe.PingResult> check(List<Probe.PingResult> pings) {
        for (Probe.PingResult p : pings) {
            if (p.received() != p.sent()) throw new AssertionError("ping " + p.family() + " lost packets: " + p);
        }
        return pings;
    }

    private static Probe.TransferResult check(Probe.TransferResult t, long expected) {
        if (t.bytes() != expected || !t.sentSha256().equals(t.receivedSha256())) {
            throw new AssertionError("transfer corrupted: sent " + expected + " bytes, " + t);
        }
        return t;
    }

    private static Probe.CaptureResult check(Probe.CaptureResult c, long transferred) {
        if (c.markerFound()) throw new AssertionError("plaintext marker seen on the WAN: " + c);
        if (c.otherPackets() > 0) throw new AssertionError("non-IKE/ESP traffic on the WAN: " + c);
        if (c.espPackets() == 0 || c.ikePackets() == 0) throw new AssertionError("no IKE or no ESP on the WAN: " + c);
        // tcpdump may drop packets under load, so only demand a good share of the payload as ciphertext.
        if (c.espBytes() < transferred / 2) throw new AssertionError("too little ESP for the transfer: " + c);
        return c;
    }

    private static String randomSecret() {
        return randomHex(24);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
