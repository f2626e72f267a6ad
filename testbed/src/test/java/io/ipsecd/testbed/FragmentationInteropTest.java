package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.IkeDatagrams.IkeDatagram;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 7383 IKE fragmentation against strongSwan 5.9.8, ipsecd in both roles, in one lab. Both sides
 * send fragments of at most 576-byte IP datagrams (ipsecd {@code ike.fragment_size: 576}, charon
 * {@code fragment_size = 576}, swanctl {@code fragmentation = yes}); a child with 12 selectors per
 * side makes IKE_AUTH about 610 bytes each way, two fragments. The tunnel must come up and carry pings; strongSwan's
 * log must show that it split its IKE_AUTH and reassembled ours, ipsecd's debug log the same the
 * other way, and the WAN capture that no IKE datagram was larger than 576 bytes or IP-fragmented.
 */
@Testbed
class FragmentationInteropTest {
    private static final int FRAGMENT_SIZE = 576;
    private static final int EXTRA_SELECTORS = 10;
    private static final Duration UP = Duration.ofSeconds(20);
    private static final String PSK = "a-long-random-shared-secret-for-ike-fragments";
    private static final String OURS = "192.0.2.1";
    private static final String THEIRS = "192.0.2.2";

    private static Lab lab;
    private static Ipsecd ours;
    private static StrongSwan theirs;

    @BeforeAll
    static void oneLabForBothRoles() {
        Ipsecd.assumePackaged();
        lab = Topologies.siteToSite();
        ours = Ipsecd.start(lab, lab.corp()).withIkeOptions("fragment_size: " + FRAGMENT_SIZE);
        theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8, StrongSwan.fragmentSize(FRAGMENT_SIZE));
        theirs.load(List.of(tunnel(lab.cloud(), lab.corp())));
        ours.load(List.of(tunnel(lab.corp(), lab.cloud())));
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) lab.close();
    }

    /**
     * One child: the IPv6 LAN, and the IPv4 LAN cut into disjoint selectors for size: ICMP and
     * {@value #EXTRA_SELECTORS} single TCP ports. Inside the LAN, so that libipsec's routes find a
     * source address; disjoint, because strongSwan drops a selector that another one contains.
     */
    private static TunnelConfig tunnel(Site local, Site remote) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk(PSK), List.of(new Child("net", selectors(local), selectors(remote),
                List.of("aes256gcm16"), TunnelConfig.StartAction.NONE)));
    }

    private static List<String> selectors(Site site) {
        List<String> ts = new ArrayList<>(List.of(site.lan().v4() + "[icmp]", site.lan().v6()));
        IntStream.range(0, EXTRA_SELECTORS).forEach(i -> ts.add(site.lan().v4() + "[tcp/" + (10000 + 2 * i) + "]"));
        return ts;
    }

    @Test
    void ipsecdInitiatesAndBothSidesFragmentIkeAuth() {
        roundTrip(true);
    }

    @Test
    void strongSwanInitiatesAndBothSidesFragmentIkeAuth() {
        roundTrip(false);
    }

    private void roundTrip(boolean weInitiate) {
        long charonFrom = size(theirs.log());
        long ipsecdFrom = size(ours.log());
        String role = weInitiate ? "ipsecd-initiates" : "strongswan-initiates";
        List<IkeDatagram> wire;
        try (WanTcpdump capture = WanTcpdump.start(lab, role)) {
            if (weInitiate) {
                ours.initiate("s2s", "net", UP);
            } else {
                theirs.initiate("s2s", "net", UP);
            }
            assertThat(Waits.await(() -> ours.listSas().size() == 1 && theirs.listSas().size() == 1, UP))
                    .as("one IKE SA on each side" + lab.logTails(3000)).isTrue();
            assertThat(pings("-4", lab.cloud().hostAddress().v4()) && pings("-6", lab.cloud().hostAddress().v6()))
                    .as("pings through the tunnel" + lab.logTails(3000)).isTrue();
            Exec.sleep(300); // the last IKE datagrams reach tcpdump before it stops
            capture.close();
            wire = IkeDatagrams.read(capture.pcap());
        } finally {
            ours.terminate("s2s");
            Waits.await(() -> ours.listSas().isEmpty() && theirs.listSas().isEmpty(), UP);
        }
        String charon = since(theirs.log(), charonFrom);
        String ipsecd = since(ours.log(), ipsecdFrom);
        String context = "\ncharon.log:\n" + tail(charon) + "\nipsecd.log:\n" + tail(ipsecd) + "\nwire: " + wire;

        int theySplit = count(charon, "splitting IKE message \\(\\d+ bytes\\) into (\\d+) fragments");
        int theyReassembled = count(charon, "received fragment #\\d+ of (\\d+), reassembled fragmented IKE message");
        assertThat(theySplit).as("strongSwan sent its IKE_AUTH in fragments" + context).isGreaterThan(1);
        assertThat(theyReassembled).as("strongSwan reassembled our IKE_AUTH" + context).isGreaterThan(1);
        assertThat(charon).contains("waiting for complete IKE message");
        String ourAuth = weInitiate ? "IKE_AUTH request #1" : "IKE_AUTH response #1";
        String theirAuth = weInitiate ? "IKE_AUTH response #1" : "IKE_AUTH request #1";
        assertThat(count(ipsecd, Pattern.quote(ourAuth) + " of \\d+ bytes sent to " + THEIRS + " as (\\d+) fragments"))
                .as("ipsecd sent its IKE_AUTH in fragments" + context).isEqualTo(theyReassembled);
        assertThat(count(ipsecd, "reassembled " + Pattern.quote(theirAuth) + " from (\\d+) fragments from " + THEIRS))
                .as("ipsecd reassembled strongSwan's IKE_AUTH" + context).isEqualTo(theySplit);

        List<IkeDatagram> auth = wire.stream().filter(d -> d.exchange() == IkeDatagrams.IKE_AUTH).toList();
        assertThat(auth.stream().filter(d -> d.source().equals(OURS) && d.fragment())).as(context).hasSize(theyReassembled);
        assertThat(auth.stream().filter(d -> d.source().equals(THEIRS) && d.fragment())).as(context).hasSize(theySplit);
        assertThat(wire).as("no IKE datagram above the fragment size, none fragmented by IP" + context).isNotEmpty()
                .allSatisfy(d -> {
                    assertThat(d.ipLength()).isLessThanOrEqualTo(FRAGMENT_SIZE);
                    assertThat(d.ipFragment()).isFalse();
                });
        System.out.printf("%s: strongSwan split IKE_AUTH into %d fragments, ipsecd into %d; largest IKE datagram %d bytes%n",
                role, theySplit, theyReassembled, wire.stream().mapToInt(IkeDatagram::ipLength).max().orElse(0));
    }

    private static boolean pings(String family, String target) {
        return Waits.await(() -> Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", family,
                "-n", "-c", "1", "-W", "1", target)), Map.of()).ok(), Duration.ofSeconds(10));
    }

    /** The number in group 1 of the only match of {@code regex}, or 0 when there is none (two fail the test). */
    private static int count(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        List<Integer> found = new ArrayList<>();
        while (m.find()) found.add(Integer.parseInt(m.group(1)));
        assertThat(found).as("lines matching " + regex).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? 0 : found.getFirst();
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code file} gained after its first {@code from} bytes. */
    private static String since(Path file, long from) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
