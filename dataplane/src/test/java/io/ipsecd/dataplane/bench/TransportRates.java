package io.ipsecd.dataplane.bench;

import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.dataplane.link.IpPrefix;
import io.ipsecd.dataplane.net.RawEspSocket;
import io.ipsecd.dataplane.net.UdpGsoReceiver;
import io.ipsecd.dataplane.net.UdpGsoSocket;
import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.testing.Packets;
import io.ipsecd.dataplane.testing.TestNet;
import io.ipsecd.dataplane.tun.LinuxTunDevice;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Rough packet rates of the transports, single thread each, on loopback and a private TUN; a quick
 * look, not a benchmark (no JMH, shared 2-core VM: expect +-15%). Also reports heap bytes allocated
 * per packet by the sending and receiving threads, which should be ~0 in steady state.
 * Run as root from the module directory, after {@code mvn -pl dataplane -am test-compile}:
 * <pre>
 *   source ../scripts/lib.sh &amp;&amp; require_jdk25
 *   java --enable-native-access=ALL-UNNAMED \
 *       -cp target/classes:target/test-classes:../esp/target/classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
 *       io.ipsecd.dataplane.bench.TransportRates [seconds]
 * </pre>
 * It creates only a uniquely named TUN device (removed on exit) and sockets on 127.0.0.1.
 */
public final class TransportRates {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int PAYLOAD = 100;

  public static void main(String[] args) throws Exception {
    long millis = (long) (1000 * (args.length > 0 ? Double.parseDouble(args[0]) : 3));
    udp(millis);
    raw(millis, false);
    raw(millis, true);
    tunWrite(millis);
    tunRead(millis);
  }

  private static void report(String what, long packets, long millis, long allocatedBytes) {
    System.out.printf("%-46s %,10d pkt/s   %6.1f B/pkt allocated%n", what,
        packets * 1000 / millis, packets == 0 ? 0.0 : (double) allocatedBytes / packets);
  }

  /** Warm up for a third of the time, then measure; returns {packets, allocated bytes}. */
  private interface Step {
    void run() throws Exception;
  }

  private static long[] timed(long millis, Step step) throws Exception {
    return timed(millis, step, new Meter());
  }

  private static long[] timed(long millis, Step step, Meter meter) throws Exception {
    long warmEnd = System.nanoTime() + millis * 1_000_000 / 3;
    while (System.nanoTime() < warmEnd) {
      step.run();
    }
    meter.phase = 1;
    long packets = 0;
    long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 64; i++) {
        step.run();
      }
      packets += 64;
    }
    meter.phase = 2;
    return new long[] {packets, THREADS.getCurrentThreadAllocatedBytes() - alloc0};
  }

  /**
   * Counts packets on a receiving thread and the heap it allocates, only between the sender's
   * start and end of measurement (so warm-up and JIT compilation are left out).
   */
  private static final class Meter {
    volatile int phase; // 0 warm-up, 1 measuring, 2 done
    long packets;
    long startPackets;
    long startAlloc;
    volatile long measuredPackets;
    volatile long measuredAlloc;

    void add(int n) {
      packets += n;
      if (phase == 1 && startAlloc == 0) {
        startAlloc = THREADS.getCurrentThreadAllocatedBytes();
        startPackets = packets;
      } else if (phase == 2 && measuredPackets == 0 && startAlloc != 0) {
        measuredAlloc = THREADS.getCurrentThreadAllocatedBytes() - startAlloc;
        measuredPackets = Math.max(1, packets - startPackets);
      }
    }
  }

  private static void udp(long millis) throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (UdpGsoSocket rx = UdpGsoSocket.bind(any); UdpGsoSocket tx = UdpGsoSocket.bind(any)) {
      Meter meter = new Meter();
      UdpGsoReceiver receiver = new UdpGsoReceiver(rx, (b, s) -> meter.add(1), (m, f, l) -> { });
      UdpGsoSocket.Peer peer = UdpGsoSocket.peer(rx.localAddress());
      int[] slots = {0};
      Thread loop = Thread.ofPlatform().start(receiver);
      PacketBatch batch = PacketBatch.allocate(1, 2048, 64);
      batch.put(0, esp(), 0, 8 + PAYLOAD);
      long[] r = timed(millis, () -> tx.sendEsp(batch, slots, 0, 1, peer), meter);
      report("UDP 4500 send (ESP, 108 B)", r[0], millis, r[1]);
      tx.sendEsp(batch, slots, 0, 1, peer); // lets the receiver see phase 2
      Thread.sleep(200);
      rx.close();
      loop.join(2000);
      report("UDP 4500 receive loop (classify + handler)", meter.measuredPackets, millis, meter.measuredAlloc);
    }
  }

  private static void raw(long millis, boolean mmsg) throws Exception {
    InetAddress lo = InetAddress.ofLiteral("127.0.0.1");
    try (RawEspSocket rx = RawEspSocket.open(lo); RawEspSocket tx = RawEspSocket.open(lo)) {
      Meter meter = new Meter();
      Thread loop = Thread.ofPlatform().start(() -> {
        PacketBatch in = PacketBatch.allocate(32, 2048, 64);
        try {
          while (true) {
            meter.add(mmsg ? rx.receiveBatched(in, -1) : rx.receive(in, -1));
          }
        } catch (java.io.IOException closed) {
          // stop
        }
      });
      PacketBatch batch = PacketBatch.allocate(32, 2048, 64);
      for (int i = 0; i < 32; i++) {
        batch.put(i, esp(), 0, 8 + PAYLOAD);
      }
      RawEspSocket.Peer peer = tx.peer(lo);
      long[] r = mmsg
          ? timed(millis, () -> tx.send(batch, 0, 32, peer), meter)
          : timed(millis, () -> tx.send(batch, 0, peer), meter);
      if (mmsg) {
        r[0] *= 32;
      }
      report(mmsg ? "raw ESP sendmmsg, batches of 32 (staged copy)" : "raw ESP sendto (FFM, critical, heap byte[])",
          r[0], millis, r[1]);
      tx.send(batch, 0, peer);
      Thread.sleep(200);
      rx.close();
      loop.join(2000);
      report(mmsg ? "raw ESP recvmmsg, up to 32 (copied to byte[])" : "raw ESP recvfrom, up to 32 per wake-up",
          meter.measuredPackets, millis, meter.measuredAlloc);
      System.out.printf("  (raw send drops for lack of buffer space: %,d)%n", tx.sendDrops());
    }
  }

  private static void tunWrite(long millis) throws Exception {
    InetAddress[] net = TestNet.slash30();
    try (LinuxTunDevice tun = LinuxTunDevice.open(TestNet.deviceName());
        DatagramChannel sink = DatagramChannel.open()) {
      var link = IpCommandLinkConfigurator.create();
      link.addAddress(tun.name(), net[1], 30);
      link.setUp(tun.name());
      sink.bind(new InetSocketAddress(net[1], 0));
      int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
      byte[] packet = Packets.udp(net[2], net[1], 40000, port, new byte[64]);
      PacketBatch batch = PacketBatch.allocate(32, 2048, 64);
      for (int i = 0; i < 32; i++) {
        batch.put(i, packet, 0, packet.length);
      }
      long[] r = timed(millis / 32 * 32, () -> tun.write(batch, 0, 32));
      report("TUN write, batches of 32 x 92 B (to a UDP socket)", r[0] * 32, millis, r[1]);
    }
  }

  private static void tunRead(long millis) throws Exception {
    InetAddress[] net = TestNet.slash30();
    try (LinuxTunDevice tun = LinuxTunDevice.open(TestNet.deviceName());
        DatagramChannel source = DatagramChannel.open()) {
      var link = IpCommandLinkConfigurator.create();
      link.addAddress(tun.name(), net[1], 30);
      link.setUp(tun.name());
      IpPrefix routed = IpPrefix.parse(TestNet.routedSlash28());
      link.addRoute(tun.name(), routed);
      InetSocketAddress to = new InetSocketAddress(routed.network(), 9);
      Meter meter = new Meter();
      Thread reader = Thread.ofPlatform().start(() -> {
        PacketBatch in = PacketBatch.allocate(32, 2048, 64);
        try {
          while (true) {
            meter.add(tun.read(in, -1));
          }
        } catch (java.io.IOException closed) {
          // stop
        }
      });
      ByteBuffer payload = ByteBuffer.allocateDirect(64);
      long[] r = timed(millis, () -> source.send(payload.clear(), to), meter);
      source.send(payload.clear(), to);
      Thread.sleep(200);
      tun.close();
      reader.join(2000);
      report("  (sender: DatagramChannel into the TUN route)", r[0], millis, r[1]);
      report("TUN read, batches up to 32", meter.measuredPackets, millis, meter.measuredAlloc);
    }
  }

  private static byte[] esp() {
    return ByteBuffer.allocate(8 + PAYLOAD).putInt(0x0c0ffee1).putInt(1).array();
  }
}
