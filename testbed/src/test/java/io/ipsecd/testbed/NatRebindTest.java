package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Dpd;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's NAT acceptance: ipsecd behind the lab's NAT router initiates to strongSwan 5.9.8 and
 * carries a TCP transfer in ESP-in-UDP; mid-transfer the router's connection tracking is flushed,
 * so its next packet gets a new outside port (the router maps ports fully at random), and the
 * transfer still completes intact. Recovery is an address update, not a new SA: ESP from strongSwan
 * goes to the forgotten mapping and is lost, so ipsecd hears nothing for dpd.delay and sends its
 * liveness check; that authentic INFORMATIONAL comes from the new port, and strongSwan moves the
 * IKE SA there (RFC 7296 §2.23; with libipsec it also rekeys the child). The IKE SA stays the same.
 * Prints how long traffic stalled around the rebinding: about dpd.delay.
 */
@Testbed
class NatRebindTest {
    private static final Pattern REPLY_TS = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from", Pattern.MULTILINE);
    private static final Pattern OUTSIDE_PORT = Pattern.compile("sport=4500 dport=4500 src=\\S+ dst=\\S+ sport=4500 dport=(\\d+)");
    private static final Dpd DPD = new Dpd(Duration.ofSeconds(5), Duration.ofSeconds(15), "restart");

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aTransferSurvivesTheNatRouterForgettingItsMapping() throws Exception {
        try (Lab lab = Topologies.nat()) {
            String nat = lab.wanTapNs(); // the NAT router's namespace
            // A fresh mapping gets a random outside port: after the flush ESP really arrives from elsewhere.
            Netns.run(nat, Netns.SHORT, "nft", "flush", "chain", "ip", "nat", "post").check();
            Netns.run(nat, Netns.SHORT, "nft", "add", "rule", "ip", "nat", "post", "oifname", "wan0", "masquerade",
                    "fully-random").check();
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            theirs.load(List.of(tunnel("s2s", lab.cloud().wanAddress().v4(), null, "cloud", "corp", lab.cloud(), lab.corp(),
                    TunnelConfig.StartAction.NONE)));
            ours.load(List.of(tunnel("s2s", lab.corp().wanAddress().v4(), lab.cloud().publicAddress().v4(), "corp", "cloud",
                    lab.corp(), lab.cloud(), TunnelConfig.StartAction.START).withDpd(DPD)));
            assertThat(Waits.await(() -> pingsThrough(lab), Duration.ofSeconds(20))).as(lab.logTails(3000)).isTrue();
            assertThat(theirs.listSas().getFirst().natDetected()).isTrue();
            assertThat(theirs.listSas().getFirst().children().getFirst().encapsulated()).isTrue();
            int before = outsidePort(nat);
            String ikeSpi = ours.listSas().getFirst().spiInitiator();

            Path pingLog = lab.dir("probes").resolve("rebind-ping.log");
            Process ping = Exec.start(pingLog, Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-D", "-c",
                    "400", "-i", "0.1", "-W", "1", lab.cloud().hostAddress().v4())), Map.of());
            // 24 MiB at 2 MiB/s: about 12 s, flushed 4 s in.
            CompletableFuture<Probe.TransferResult> transfer = CompletableFuture.supplyAsync(() -> HostProbes.transfer(
                    lab, lab.corp(), lab.cloud(), 24 * Probe.MiB, Probe.Family.IPV4, "NAT-REBIND-MARKER", 2 * Probe.MiB));
            Exec.sleep(4000);
            assertThat(transfer).as("the transfer ended before the flush").isNotDone();
            double flushedAt = System.currentTimeMillis() / 1000.0;
            Netns.run(nat, Netns.SHORT, "conntrack", "-F").check();
            Probe.TransferResult result = transfer.get(120, TimeUnit.SECONDS);
            Exec.sleep(1000);
            Exec.stop(ping, Duration.ofSeconds(1));

            assertThat(result.bytes()).isEqualTo(24 * Probe.MiB);
            assertThat(result.receivedSha256()).as("what arrived is what was sent").isEqualTo(result.sentSha256());
            int after = outsidePort(nat);
            assertThat(after).as("the NAT's outside port for ESP-in-UDP").isNotEqualTo(before);
            String charonLog = Files.readString(lab.logs().get("cloud strongSwan 5.9.8 charon.log"));
            assertThat(charonLog).as("strongSwan followed corp to its new outside port")
                    .contains("remote endpoint changed from 192.0.2.1[" + before + "] to 192.0.2.1[" + after + "]");
            assertThat(ours.listSas()).as("the same IKE SA, moved rather than re-established").singleElement()
                    .extracting(SaInfo.IkeSa::spiInitiator).isEqualTo(ikeSpi);
            double stall = longestGapAfter(pingLog, flushedAt);
            assertThat(stall).as("seconds without a ping reply after the flush")
                    .isLessThan(DPD.delay().toSeconds() + 3.0);
            System.out.printf("NAT rebinding, outside port %d -> %d: transfer intact (%.1f s), longest ping gap"
                    + " after the flush %.1f s (dpd.delay %d s)%n", before, after, result.seconds(), stall,
                    DPD.delay().toSeconds());
        }
    }

    /** The outside port the NAT router maps corp-gw's UDP 4500 (ESP-in-UDP and IKE) to. */
    private static int outsidePort(String nat) {
        Exec.Result r = Netns.run(nat, Netns.SHORT, "conntrack", "-L", "-p", "udp", "--orig-port-dst", "4500").check();
        Matcher m = OUTSIDE_PORT.matcher(r.out());
        if (!m.find()) throw new IllegalStateException("no UDP 4500 mapping in the NAT's conntrack table:\n" + r.out());
        return Integer.parseInt(m.group(1));
    }

    /** Seconds between consecutive ping replies after {@code since} (epoch seconds), the longest. */
    private static double longestGapAfter(Path pingLog, double since) {
        List<Double> replies = new ArrayList<>();
        try {
            Matcher m = REPLY_TS.matcher(Files.readString(pingLog));
            while (m.find()) replies.add(Double.parseDouble(m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double last = since;
        double longest = 0;
        for (double t : replies) {
            if (t < since) continue;
            longest = Math.max(longest, t - last);
            last = t;
        }
        return longest;
    }

    private static boolean pingsThrough(Lab lab) {
        return Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-c", "1",
                "-W", "1", lab.cloud().hostAddress().v4())), Map.of()).ok();
    }

    private static TunnelConfig tunnel(String name, String local, String remote, String localId, String remoteId,
                                       Site localSite, Site remoteSite, TunnelConfig.StartAction start) {
        return new TunnelConfig(name, new Endpoint(local, localId), new Endpoint(remote, remoteId),
                List.of("aes256gcm16-prfsha384-x25519"), new TunnelConfig.Psk("a-long-random-shared-secret-for-the-nat-test"),
                List.of(new Child("net", List.of(localSite.lan().v4()), List.of(remoteSite.lan().v4()),
                        List.of("aes256gcm16"), start)));
    }
}
