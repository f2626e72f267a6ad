package io.ipsecd.dataplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipsecd.dataplane.testing.Root;
import io.ipsecd.dataplane.testing.Shell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two data planes with static keys in two namespaces joined by a veth: ping and a TCP transfer
 * with a content check go through, over IPv4 and over IPv6 inside, and a capture on the veth shows nothing but ESP in UDP 4500
 * (plus the link's own ARP/IPv6 chatter), never the plaintext marker.
 */
@Tag("root")
class TunnelEndToEndTest {
  private static final String PING_PATTERN = "69707365636470696e676d61726b21"; // "ipsecdpingmark!"
  private static final long TRANSFER_BYTES = 8L << 20;

  @Test
  void pingAndTcpCrossTheTunnelOverIpv4AndIpv6AndTheWanSeesOnlyEsp() throws Exception {
    Root.assumeRoot();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")),
        "needs tcpdump (apt-get install tcpdump)");
    try (TwoGatewayLab lab = new TwoGatewayLab().wire()) {
      Path pcap = lab.dir.resolve("wan.pcap");
      Path tcpdumpLog = lab.dir.resolve("tcpdump.log");
      Process tcpdump = lab.background(tcpdumpLog, List.of("ip", "netns", "exec", lab.nsA,
          "tcpdump", "-i", lab.vethA, "-n", "-U", "-s", "0", "-w", pcap.toString()));
      TwoGatewayLab.awaitLine(tcpdumpLog, l -> l.contains("listening on"), 10);
      lab.startGateways();

      Shell.Result ping = lab.exec(lab.nsA, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-p", PING_PATTERN,
          "-I", lab.innerA.getHostAddress(), lab.innerB.getHostAddress());
      assertThat(ping.exit()).as("ping across the tunnel:\n%s%s", ping.out(), ping.err()).isZero();

      transfer(lab, lab.innerB.getHostAddress(), "4");

      Shell.Result ping6 = lab.exec(lab.nsA, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "-p", PING_PATTERN,
          "-I", lab.innerA6.getHostAddress(), lab.innerB6.getHostAddress());
      assertThat(ping6.exit()).as("IPv6 ping across the tunnel:\n%s%s", ping6.out(), ping6.err()).isZero();
      transfer(lab, lab.innerB6.getHostAddress(), "6");

      tcpdump.destroy(); // SIGTERM: tcpdump flushes and exits
      assertThat(tcpdump.waitFor(5, TimeUnit.SECONDS)).isTrue();
      byte[] capture = Files.readAllBytes(pcap);
      String raw = new String(capture, StandardCharsets.ISO_8859_1);
      assertThat(raw).as("plaintext TCP marker on the WAN").doesNotContain(TcpTransfer.MARKER);
      assertThat(raw).as("plaintext ping pattern on the WAN")
          .doesNotContain(new String(HexFormat.of().parseHex(PING_PATTERN), StandardCharsets.ISO_8859_1));
      // Everything but ESP in UDP 4500 both ways, ARP and IPv6 (link-local chatter): must be nothing.
      String notEsp = Shell.check("tcpdump", "-r", pcap.toString(), "-n", "-q",
          "not (udp src port 4500 and udp dst port 4500) and not arp and not ip6");
      assertThat(notEsp.lines().filter(l -> !l.isBlank()).toList()).as("WAN packets other than ESP-in-UDP").isEmpty();
      Path espLines = lab.dir.resolve("esp.txt");
      Process listing = lab.background(espLines, List.of("tcpdump", "-r", pcap.toString(), "-n", "-q", "udp port 4500"));
      assertThat(listing.waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<String> esp = Files.readAllLines(espLines).stream().filter(l -> l.contains(".4500: UDP")).toList();
      // Segmented sends (UDP GSO) cross the veth whole, so the capture holds fewer, larger packets.
      assertThat(esp.size()).as("ESP packets seen").isGreaterThan(100);
    }
  }

  /** An 8 MiB TCP transfer from A's network to {@code destination} with a SHA-256 content check. */
  private static void transfer(TwoGatewayLab lab, String destination, String tag) throws Exception {
    Path sinkLog = lab.dir.resolve("sink" + tag + ".log");
    Path sourceLog = lab.dir.resolve("source" + tag + ".log");
    Process sink = lab.java(lab.nsB, sinkLog, TcpTransfer.class, "sink", destination, "5001");
    TwoGatewayLab.awaitLine(sinkLog, l -> l.equals("LISTENING"), 20);
    Process source = lab.java(lab.nsA, sourceLog, TcpTransfer.class, "source", destination, "5001",
        Long.toString(TRANSFER_BYTES));
    assertThat(source.waitFor(60, TimeUnit.SECONDS)).as("source finished").isTrue();
    assertThat(sink.waitFor(30, TimeUnit.SECONDS)).as("sink finished").isTrue();
    String sent = TwoGatewayLab.awaitLine(sourceLog, l -> l.startsWith("SHA256"), 5);
    String received = TwoGatewayLab.awaitLine(sinkLog, l -> l.startsWith("SHA256"), 5);
    assertThat(received).as("IPv" + tag + " transfer").isEqualTo(sent).endsWith(" " + TRANSFER_BYTES);
  }

  @Test
  void withRawEspTheWanCarriesOnlyIpProtocol50() throws Exception {
    Root.assumeRoot();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")),
        "needs tcpdump (apt-get install tcpdump)");
    try (TwoGatewayLab lab = new TwoGatewayLab().wire()) {
      Path pcap = lab.dir.resolve("wan-raw.pcap");
      Path tcpdumpLog = lab.dir.resolve("tcpdump-raw.log");
      Process tcpdump = lab.background(tcpdumpLog, List.of("ip", "netns", "exec", lab.nsA,
          "tcpdump", "-i", lab.vethA, "-n", "-U", "-s", "0", "-w", pcap.toString()));
      TwoGatewayLab.awaitLine(tcpdumpLog, l -> l.contains("listening on"), 10);
      lab.startGateways(true);
      Shell.Result ping = lab.exec(lab.nsA, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-p", PING_PATTERN,
          "-I", lab.innerA.getHostAddress(), lab.innerB.getHostAddress());
      assertThat(ping.exit()).as("ping over raw ESP:\n%s%s", ping.out(), ping.err()).isZero();
      transfer(lab, lab.innerB.getHostAddress(), "raw");
      tcpdump.destroy();
      assertThat(tcpdump.waitFor(5, TimeUnit.SECONDS)).isTrue();
      String raw = new String(Files.readAllBytes(pcap), StandardCharsets.ISO_8859_1);
      assertThat(raw).doesNotContain(TcpTransfer.MARKER);
      // Strict: not even ICMP "protocol 50 unreachable", which the kernel (no ESP of its own) sends
      // when the raw socket's receive queue is full; RawEspSocket sizes it so that this does not happen.
      String notEsp = Shell.check("tcpdump", "-r", pcap.toString(), "-n", "-q", "not ip proto 50 and not arp and not ip6");
      assertThat(notEsp.lines().filter(l -> !l.isBlank()).toList()).as("WAN packets other than raw ESP").isEmpty();
    }
  }
}
