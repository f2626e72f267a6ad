package io.ipsecd.dataplane.tun;

import static io.ipsecd.dataplane.testing.TestNet.interfaceExists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.dataplane.link.IpPrefix;
import io.ipsecd.dataplane.link.LinkConfigurator;
import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.posix.PosixException;
import io.ipsecd.dataplane.testing.Packets;
import io.ipsecd.dataplane.testing.Root;
import io.ipsecd.dataplane.testing.Shell;
import io.ipsecd.dataplane.testing.TestNet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real TUN devices, each with a unique name and a unique 198.18.x.y/30; every device is closed in
 * {@link #closeEverything()} (the kernel removes non-persistent TUN interfaces with their last fd),
 * and every namespace is deleted there too, whatever the test outcome.
 */
@Tag("root")
class LinuxTunDeviceTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();
  private final LinkConfigurator link = IpCommandLinkConfigurator.create();
  private final PacketBatch batch = PacketBatch.allocate(8, 2048, 64);

  @BeforeEach
  void needsRoot() {
    Root.assumeRoot();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    for (String ns : namespaces) {
      Shell.run("ip", "netns", "del", ns);
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  private LinuxTunDevice upWithAddress(InetAddress[] net) throws Exception {
    LinuxTunDevice tun = closeLater(LinuxTunDevice.open(TestNet.deviceName()));
    link.addAddress(tun.name(), net[1], 30);
    link.setUp(tun.name());
    // IPv6 would make the kernel send router solicitations into the device; not our traffic.
    Shell.run("sysctl", "-qw", "net.ipv6.conf." + tun.name() + ".disable_ipv6=1");
    return tun;
  }

  /** Reads until a packet matches or 3 s pass; other traffic the kernel sends is skipped. */
  private byte[] readUntil(TunDevice tun, java.util.function.Predicate<byte[]> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline) {
      int n = tun.read(batch, 200);
      for (int i = 0; i < n; i++) {
        byte[] packet = batch.copy(i);
        if (wanted.test(packet)) {
          return packet;
        }
      }
    }
    throw new AssertionError("the expected packet did not come out of " + tun.name() + " within 3 s");
  }

  @Test
  void aWrittenUdpPacketIsDeliveredToALocalSocket() throws Exception {
    InetAddress[] net = TestNet.slash30();
    LinuxTunDevice tun = upWithAddress(net);
    DatagramChannel receiver = closeLater(DatagramChannel.open().bind(new InetSocketAddress(net[1], 0)));
    receiver.configureBlocking(false);
    int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
    byte[] payload = "written into the TUN".getBytes(StandardCharsets.UTF_8);

    batch.put(0, Packets.udp(net[2], net[1], 40000, port, payload), 0, 20 + 8 + payload.length);
    assertThat(tun.write(batch, 0, 1)).isEqualTo(1);

    ByteBuffer got = ByteBuffer.allocate(2048);
    InetSocketAddress from = null;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); from == null
        && System.nanoTime() < deadline; ) {
      from = (InetSocketAddress) receiver.receive(got);
      if (from == null) {
        Thread.sleep(5);
      }
    }
    assertThat(from).as("datagram delivered to the bound socket").isNotNull();
    assertThat(from.getAddress()).isEqualTo(net[2]);
    assertThat(from.getPort()).isEqualTo(40000);
    assertThat(java.util.Arrays.copyOf(got.array(), got.position())).isEqualTo(payload);
  }

  @Test
  void aDatagramRoutedIntoTheTunIsReadBack() throws Exception {
    InetAddress[] net = TestNet.slash30();
    LinuxTunDevice tun = upWithAddress(net);
    IpPrefix routed = IpPrefix.parse(TestNet.routedSlash28());
    link.addRoute(tun.name(), routed);
    InetAddress remote = TestNet.address(new byte[] {(byte) 198, 19,
        routed.network().getAddress()[2], (byte) (routed.network().getAddress()[3] + 5)});
    byte[] payload = "routed into the TUN".getBytes(StandardCharsets.UTF_8);
    DatagramChannel sender = closeLater(DatagramChannel.open());
    sender.send(ByteBuffer.wrap(payload), new InetSocketAddress(remote, 9));

    byte[] packet = readUntil(tun, p -> Packets.version(p, 0) == 4
        && Packets.protocol(p, 0) == Packets.PROTO_UDP && Packets.destination(p, 0).equals(remote));
    assertThat(Packets.source(packet, 0)).isEqualTo(net[1]);
    assertThat(Packets.udpDestinationPort(packet, 0)).isEqualTo(9);
    assertThat(Packets.udpPayload(packet, 0, packet.length)).isEqualTo(payload);
  }

  @Test
  void aPingWrittenInANamespaceIsAnsweredBackIntoTheTun() throws Exception {
    String ns = TestNet.namespaceName();
    Shell.check("ip", "netns", "add", ns);
    namespaces.add(ns);
    InetAddress[] net = TestNet.slash30();
    LinuxTunDevice tun = closeLater(LinuxTunDevice.open(TestNet.deviceName()));
    // The fd keeps working after the move: the queue belongs to the device, not to a namespace.
    Shell.check("ip", "link", "set", tun.name(), "netns", ns);
    LinkConfigurator inNs = IpCommandLinkConfigurator.inNamespace(ns);
    Shell.check("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
    inNs.addAddress(tun.name(), net[1], 30);
    inNs.setUp(tun.name());
    assertThat(interfaceExists(tun.name())).as("moved out of the root namespace").isFalse();

    byte[] data = "ping".getBytes(StandardCharsets.UTF_8);
    byte[] request = Packets.icmpEcho(net[2], net[1], 0x4242, 7, data);
    batch.put(0, request, 0, request.length);
    assertThat(tun.write(batch, 0, 1)).isEqualTo(1);

    byte[] reply = readUntil(tun, p -> Packets.version(p, 0) == 4
        && Packets.protocol(p, 0) == Packets.PROTO_ICMP && p[20] == 0 /* echo reply */);
    assertThat(Packets.source(reply, 0)).isEqualTo(net[1]);
    assertThat(Packets.destination(reply, 0)).isEqualTo(net[2]);
    assertThat(ByteBuffer.wrap(reply, 24, 4).getInt()).isEqualTo(0x4242_0007); // id, seq
  }

  @Test
  void closingRemovesTheInterface() throws Exception {
    LinuxTunDevice tun = LinuxTunDevice.open(TestNet.deviceName());
    try {
      assertThat(interfaceExists(tun.name())).isTrue();
    } finally {
      tun.close();
    }
    assertThat(interfaceExists(tun.name())).isFalse();
    tun.close(); // idempotent
    assertThatThrownBy(() -> tun.read(batch, 0)).isInstanceOf(java.nio.channels.ClosedChannelException.class);
  }

  @Test
  void closeWakesABlockedReaderPromptly() throws Exception {
    LinuxTunDevice tun = closeLater(LinuxTunDevice.open(TestNet.deviceName()));
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().name("tun-reader").start(() -> {
      try {
        tun.read(PacketBatch.allocate(1, 2048, 0), -1);
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    Thread.sleep(100); // let it park in poll()
    long start = System.nanoTime();
    tun.close();
    reader.join(2000);
    assertThat(reader.isAlive()).as("reader still blocked 2 s after close").isFalse();
    assertThat(outcome.get(0, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    assertThat(interfaceExists(tun.name())).isFalse();
  }

  @Test
  void aReadOnAQuietDeviceTimesOutWithNothing() throws Exception {
    LinuxTunDevice tun = closeLater(LinuxTunDevice.open(TestNet.deviceName())); // down: no traffic
    assertThat(tun.read(batch, 50)).isZero();
    assertThat(batch.count()).isZero();
  }

  @Test
  void aPacketThatIsNotIpIsRejectedAndCounted() throws Exception {
    InetAddress[] net = TestNet.slash30();
    LinuxTunDevice tun = upWithAddress(net);
    batch.put(0, new byte[] {0x00, 0x01, 0x02, 0x03}, 0, 4);
    byte[] good = Packets.udp(net[2], net[1], 1, 9, new byte[4]);
    batch.put(1, good, 0, good.length);
    assertThat(tun.write(batch, 0, 2)).isEqualTo(1);
    assertThat(tun.rejectedWrites()).isEqualTo(1);
  }

  @Test
  void multiQueueQueuesShareOneInterfaceThatGoesWithTheLast() throws Exception {
    List<LinuxTunDevice> queues = LinuxTunDevice.openQueues(TestNet.deviceName(), 3);
    String name = queues.getFirst().name();
    try {
      assertThat(queues).extracting(TunDevice::name).containsOnly(name);
      assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", name, "queues", "tx-2")))
          .as("three tx queues").isTrue();
      queues.get(0).close();
      queues.get(1).close();
      assertThat(interfaceExists(name)).as("still there while one queue is open").isTrue();
    } finally {
      queues.forEach(LinuxTunDevice::close);
    }
    assertThat(interfaceExists(name)).isFalse();
  }

  @Test
  void aNameInUseIsReportedWithTheReasonAndWhatToCheck() throws Exception {
    LinuxTunDevice first = closeLater(LinuxTunDevice.open(TestNet.deviceName()));
    assertThatThrownBy(() -> closeLater(LinuxTunDevice.open(first.name())))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("cannot create TUN interface '" + first.name() + "'")
        .hasMessageContaining("Device or resource busy (EBUSY)")
        .hasMessageContaining("ip link show " + first.name());
  }

  @Test
  void theKernelPicksANameFromATemplate() throws Exception {
    LinuxTunDevice tun = closeLater(LinuxTunDevice.open("ipdtpl%d"));
    assertThat(tun.name()).matches("ipdtpl\\d+");
    assertThat(interfaceExists(tun.name())).isTrue();
  }
}
