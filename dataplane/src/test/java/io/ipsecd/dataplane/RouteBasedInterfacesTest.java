package io.ipsecd.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.dataplane.link.IpPrefix;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.dataplane.testing.LoopbackPeer;
import io.ipsecd.dataplane.testing.Packets;
import io.ipsecd.dataplane.testing.Root;
import io.ipsecd.dataplane.testing.Shell;
import io.ipsecd.dataplane.testing.TestNet;
import io.ipsecd.esp.EspStatus;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.OutboundSa;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.TrafficSelector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One data plane with its main TUN and two route-based interfaces whose policies have the very
 * same any-to-any selectors: the interface a packet was routed into picks the SA, and what an SA
 * decrypts comes out of its own interface. The peer is a UDP socket on loopback running the esp
 * transforms itself. Everything stays on loopback and the test's own TUNs.
 */
@Tag("root")
class RouteBasedInterfacesTest {
  private static final int OUT_A = 0xa001, IN_A = 0xa002, OUT_B = 0xb001, IN_B = 0xb002, OUT_MAIN = 0x1001;
  private static final int POLICY_A = 1, POLICY_B = 2, POLICY_MAIN = 3;
  private static final TrafficSelector ANY = TrafficSelector.ofPrefix(InetAddress.ofLiteral("0.0.0.0"), 0);

  private final String mainDevice = TestNet.deviceName();
  private final String deviceA = TestNet.deviceName();
  private final String deviceB = TestNet.deviceName();
  private final InetAddress tunAddress = TestNet.slash30()[1];
  private final String netA = TestNet.routedSlash28();
  private final String netB = TestNet.routedSlash28();
  private final String netMain = TestNet.routedSlash28();
  private final byte[] keyOutA = LoopbackPeer.randomKey(), keyInA = LoopbackPeer.randomKey(), keyOutB = LoopbackPeer.randomKey(), keyInB = LoopbackPeer.randomKey();
  private final byte[] keyOutMain = LoopbackPeer.randomKey();
  private Dataplane dp;
  private DatagramSocket peer;
  private DatagramSocket app;
  private InetSocketAddress dpUdp;
  private int idA;
  private int idB;

  @BeforeEach
  void start() throws Exception {
    Root.assumeRoot();
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    DataplaneConfig config = DataplaneConfig.of(mainDevice, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withTunAddresses(List.of(new DataplaneConfig.TunAddress(tunAddress, 32)));
    dp = new Dataplane(config, IpCommandLinkConfigurator.create());
    idA = dp.addInterface(new InterfaceSpec(deviceA, 1400, List.of(IpPrefix.parse(netA)))); // before start
    dp.start();
    idB = dp.addInterface(new InterfaceSpec(deviceB, 0, List.of(IpPrefix.parse(netB)))); // while running
    dpUdp = dp.udpSocket().orElseThrow().localAddress();
    app = new DatagramSocket(new InetSocketAddress(tunAddress, 0));
    app.setSoTimeout(2000);

    dp.addSa(install(POLICY_A, OUT_A, SaDirection.OUTBOUND, keyOutA));
    dp.addSa(install(POLICY_A, IN_A, SaDirection.INBOUND, keyInA));
    dp.addSa(install(POLICY_B, OUT_B, SaDirection.OUTBOUND, keyOutB));
    dp.addSa(install(POLICY_B, IN_B, SaDirection.INBOUND, keyInB));
    dp.addSa(install(POLICY_MAIN, OUT_MAIN, SaDirection.OUTBOUND, keyOutMain));
    dp.addPolicy(new Policy(POLICY_A, "azure/vnet", List.of(ANY), List.of(ANY), Policy.Action.PROTECT,
        OptionalInt.of(OUT_A), idA, 1350));
    dp.addPolicy(new Policy(POLICY_B, "aws/vpc", List.of(ANY), List.of(ANY), Policy.Action.PROTECT,
        OptionalInt.of(OUT_B), idB, 0));
    dp.addPolicy(new Policy(POLICY_MAIN, "branch/lan", List.of(TrafficSelector.ofPrefix(tunAddress, 32)),
        List.of(prefix(netMain)), Policy.Action.PROTECT, OptionalInt.of(OUT_MAIN)));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (peer != null) {
      peer.close();
    }
    if (dp != null) {
      dp.close();
    }
    for (String device : List.of(mainDevice, deviceA, deviceB)) {
      assertThat(TestNet.interfaceExists(device)).as(device + " removed").isFalse();
    }
  }

  @Test
  void eachInterfacesTrafficLeavesWithItsOwnSaAndComesBackOutOfItsOwnInterface() throws Exception {
    assertThat(Files.readString(Path.of("/sys/class/net", deviceA, "mtu")).strip()).isEqualTo("1400");
    assertThat(Shell.check("ip", "route", "show", "dev", deviceA)).contains(netA);
    assertThat(Shell.check("ip", "route", "show", "dev", deviceB)).contains(netB);
    assertThat(Shell.check("ip", "route", "show", "dev", mainDevice)).as("the main TUN keeps its derived route")
        .contains(netMain);
    assertThat(dp.interfaceName(idA)).contains(deviceA);

    sendFromApp(host(netA, 1), "to azure");
    assertThat(openAtPeer(OUT_A, keyOutA, receiveEsp(2000))).isEqualTo("to azure");
    sendFromApp(host(netB, 1), "to aws");
    assertThat(openAtPeer(OUT_B, keyOutB, receiveEsp(2000))).isEqualTo("to aws");
    sendFromApp(host(netMain, 1), "to the branch");
    assertThat(openAtPeer(OUT_MAIN, keyOutMain, receiveEsp(2000))).isEqualTo("to the branch");

    long rxA = rxPackets(deviceA), rxB = rxPackets(deviceB);
    sendFromPeer(IN_A, keyInA, host(netA, 2), "from azure");
    assertThat(receiveAtApp()).isEqualTo("from azure");
    sendFromPeer(IN_B, keyInB, host(netB, 2), "from aws");
    assertThat(receiveAtApp()).isEqualTo("from aws");
    assertThat(rxPackets(deviceA)).as("decrypted by azure's SA, written into azure's interface").isEqualTo(rxA + 1);
    assertThat(rxPackets(deviceB)).isEqualTo(rxB + 1);
  }

  @Test
  void aRouteBasedInterfaceWithoutAnSaDropsAndCountsNeverSendsInClear() throws Exception {
    assertThat(dp.deleteSa(OUT_A, SaDirection.OUTBOUND)).isTrue();
    long before = dp.drops().noSa();
    sendFromApp(host(netA, 1), "must not leave");
    assertThat(receiveEsp(300)).as("nothing at the peer").isNull();
    assertThat(dp.drops().noSa()).isEqualTo(before + 1);

    assertThat(dp.deletePolicy(POLICY_A)).isTrue(); // the child is gone: its interface has no policy
    long noPolicy = dp.drops().noPolicy();
    sendFromApp(host(netA, 1), "no policy either");
    assertThat(receiveEsp(300)).isNull();
    awaitAtLeast(() -> dp.drops().noSa(), before + 2);
    assertThat(dp.drops().noPolicy()).as("counted as the child's traffic without an SA").isEqualTo(noPolicy);
    assertThat(Shell.check("ip", "route", "show", "dev", deviceA)).as("the configured route stays").contains(netA);
  }

  @Test
  void aRemovedInterfaceTakesItsTunAndRoutesAndItsSasDecryptIntoNothing() throws Exception {
    assertThat(dp.removeInterface(idB)).isTrue();
    assertThat(TestNet.interfaceExists(deviceB)).isFalse();
    assertThat(Shell.check("ip", "route", "show")).doesNotContain(netB);
    assertThat(dp.removeInterface(idB)).isFalse();
    long before = dp.drops().tunWriteFailed();
    sendFromPeer(IN_B, keyInB, host(netB, 2), "nowhere to go");
    assertThat(receiveAtApp()).isNull();
    assertThat(dp.drops().tunWriteFailed()).isEqualTo(before + 1);

    sendFromApp(host(netA, 1), "azure unaffected");
    assertThat(openAtPeer(OUT_A, keyOutA, receiveEsp(2000))).isEqualTo("azure unaffected");
  }

  @Test
  void aSynIntoTheClampingInterfaceLeavesWithTheClampedMss() throws Exception {
    try (SocketChannel tcp = SocketChannel.open()) {
      tcp.bind(new InetSocketAddress(tunAddress, 0));
      tcp.configureBlocking(false);
      tcp.connect(new InetSocketAddress(host(netA, 3), 443)); // the kernel announces its MTU's MSS: 1360
      byte[] syn = openPacketAtPeer(OUT_A, keyOutA, receiveEsp(2000));
      assertThat(Packets.protocol(syn, 0)).isEqualTo(6);
      assertThat(mss(syn)).isEqualTo(1350);
      assertThat(tcpChecksum(syn)).isZero();
    }
    try (SocketChannel tcp = SocketChannel.open()) {
      tcp.bind(new InetSocketAddress(tunAddress, 0));
      tcp.configureBlocking(false);
      tcp.connect(new InetSocketAddress(host(netB, 3), 443));
      byte[] syn = openPacketAtPeer(OUT_B, keyOutB, receiveEsp(2000));
      assertThat(mss(syn)).as("no clamp on aws: the MTU's own MSS").isEqualTo(dp.config().tunnelMtu() - 40);
    }
  }

  @Test
  void aSynFromThePeerComesOutOfTheInterfaceClamped() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("tcpdump", "-i", deviceA, "-nn", "-l", "-c", "1", "tcp");
    Process tcpdump = pb.start();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8));
      String line = err.readLine();
      for (int i = 0; i < 5 && line != null && !line.contains("listening on"); i++) {
        line = err.readLine(); // ends at EOF if tcpdump fails
      }
      assertThat(line).as("tcpdump capturing").contains("listening on");
      byte[] syn = tcpSyn(host(netA, 2), tunAddress, 40000, 9, 1460);
      sendPacketFromPeer(IN_A, keyInA, syn);
      assertThat(tcpdump.waitFor(5, TimeUnit.SECONDS)).as("tcpdump saw the SYN").isTrue();
      String seen = new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(seen).contains("Flags [S]").contains("mss 1350");
    } finally {
      tcpdump.destroyForcibly();
    }
  }

  // ---- helpers ----

  private SaInstall install(int policy, int spi, SaDirection direction, byte[] key) {
    return new SaInstall(policy, LoopbackPeer.params(spi, direction, key), dpUdp,
        (InetSocketAddress) peer.getLocalSocketAddress(), true);
  }

  private static TrafficSelector prefix(String cidr) {
    IpPrefix p = IpPrefix.parse(cidr);
    return TrafficSelector.ofPrefix(p.network(), p.length());
  }

  private static InetAddress host(String slash28, int host) {
    byte[] a = IpPrefix.parse(slash28).network().getAddress();
    a[3] += (byte) host;
    return TestNet.address(a);
  }

  private static long rxPackets(String device) throws Exception {
    return Long.parseLong(Files.readString(Path.of("/sys/class/net", device, "statistics/rx_packets")).strip());
  }

  private void sendFromApp(InetAddress to, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    app.send(new DatagramPacket(b, b.length, new InetSocketAddress(to, 9999)));
  }

  /** The next ESP packet at the peer, or null within {@code millis}. */
  private byte[] receiveEsp(int millis) throws Exception {
    return LoopbackPeer.receive(peer, millis);
  }

  /** The inner packet, after checking the SPI says which SA (and so which interface) sent it. */
  private static byte[] openPacketAtPeer(int spi, byte[] key, byte[] esp) throws Exception {
    assertThat(esp).as("ESP at the peer").isNotNull();
    assertThat(ByteBuffer.wrap(esp).getInt()).as("SPI").isEqualTo(spi);
    InboundSa sa = InboundSa.create(LoopbackPeer.params(spi, SaDirection.INBOUND, key));
    byte[] out = new byte[esp.length];
    assertThat(sa.decapsulate(esp, 0, esp.length, out, 0)).isEqualTo(EspStatus.OK);
    return Arrays.copyOf(out, sa.innerLength());
  }

  private static String openAtPeer(int spi, byte[] key, byte[] esp) throws Exception {
    byte[] inner = openPacketAtPeer(spi, key, esp);
    return new String(Packets.udpPayload(inner, 0, inner.length), StandardCharsets.UTF_8);
  }

  private void sendPacketFromPeer(int spi, byte[] key, byte[] inner) throws Exception {
    OutboundSa sa = OutboundSa.create(LoopbackPeer.params(spi, SaDirection.OUTBOUND, key));
    byte[] esp = new byte[inner.length + 64];
    assertThat(sa.encapsulate(inner, 0, inner.length, esp, 0)).isEqualTo(EspStatus.OK);
    peer.send(new DatagramPacket(esp, sa.length(), dpUdp));
  }

  private void sendFromPeer(int spi, byte[] key, InetAddress innerSource, String text) throws Exception {
    sendPacketFromPeer(spi, key, Packets.udp(innerSource, tunAddress, 9999, app.getLocalPort(),
        text.getBytes(StandardCharsets.UTF_8)));
  }

  private String receiveAtApp() throws Exception {
    byte[] b = LoopbackPeer.receive(app, 2000);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static void awaitAtLeast(java.util.function.LongSupplier counter, long value) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (counter.getAsLong() < value && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(counter.getAsLong()).isGreaterThanOrEqualTo(value);
  }

  /** The MSS option of an IPv4 TCP SYN, or -1. */
  private static int mss(byte[] p) {
    int tcp = Packets.headerLength(p, 0);
    int end = tcp + ((p[tcp + 12] & 0xF0) >>> 2);
    for (int o = tcp + 20; o < end; ) {
      int kind = p[o] & 0xFF;
      if (kind == 0) {
        break;
      }
      if (kind == 1) {
        o++;
        continue;
      }
      if (kind == 2) {
        return ((p[o + 2] & 0xFF) << 8) | (p[o + 3] & 0xFF);
      }
      o += p[o + 1] & 0xFF;
    }
    return -1;
  }

  /** Zero when the IPv4 TCP segment's checksum holds (summed with its pseudo-header). */
  private static int tcpChecksum(byte[] p) {
    int ihl = Packets.headerLength(p, 0);
    int tcpLen = p.length - ihl;
    byte[] pseudo = new byte[12 + tcpLen];
    System.arraycopy(p, 12, pseudo, 0, 8);
    pseudo[9] = 6;
    pseudo[10] = (byte) (tcpLen >>> 8);
    pseudo[11] = (byte) tcpLen;
    System.arraycopy(p, ihl, pseudo, 12, tcpLen);
    return Packets.checksum(pseudo, 0, pseudo.length);
  }

  /** An IPv4 TCP SYN with one option, MSS, and a valid checksum. */
  private static byte[] tcpSyn(InetAddress src, InetAddress dst, int srcPort, int dstPort, int mss) {
    ByteBuffer tcp = ByteBuffer.allocate(24);
    tcp.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(0)
        .put((byte) 0x60).put((byte) 0x02).putShort((short) 64240).putShort((short) 0).putShort((short) 0)
        .put((byte) 2).put((byte) 4).putShort((short) mss);
    byte[] packet = Packets.ipv4(src, dst, 6, tcp.array());
    int sum = tcpChecksum(packet); // over a zero checksum field: the value to store
    packet[20 + 16] = (byte) (sum >>> 8);
    packet[20 + 17] = (byte) sum;
    return packet;
  }
}
