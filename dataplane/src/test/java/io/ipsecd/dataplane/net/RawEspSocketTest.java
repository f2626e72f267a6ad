package io.ipsecd.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.testing.Root;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Raw protocol-50 sockets on loopback: the kernel here has no ESP of its own, but raw sockets get
 * a copy of every ESP datagram anyway. Each test uses a random SPI and ignores any other ESP it
 * sees, since every raw ESP socket on the host receives every ESP packet.
 */
@Tag("root")
class RawEspSocketTest {
  private final List<RawEspSocket> sockets = new ArrayList<>();
  private final long spi = ThreadLocalRandom.current().nextLong(0x1000, 0xffff_ffffL);

  @BeforeEach
  void needsRoot() {
    Root.assumeRoot();
  }

  @AfterEach
  void closeSockets() {
    sockets.forEach(RawEspSocket::close);
  }

  private RawEspSocket open(String address) throws Exception {
    RawEspSocket socket = RawEspSocket.open(InetAddress.ofLiteral(address));
    sockets.add(socket);
    return socket;
  }

  private byte[] esp(int sequence, int payloadLength) {
    ByteBuffer b = ByteBuffer.allocate(8 + payloadLength);
    b.putInt((int) spi).putInt(sequence);
    for (int i = 0; i < payloadLength; i++) {
      b.put((byte) (i * 7 + sequence));
    }
    return b.array();
  }

  /** Receives until {@code expected} packets with our SPI arrived, at most 3 s. */
  private List<byte[]> receiveOurs(RawEspSocket socket, int expected, List<InetAddress> sources,
      List<Integer> offsets) throws Exception {
    PacketBatch batch = PacketBatch.allocate(4, 2048, 64);
    List<byte[]> ours = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (ours.size() < expected && System.nanoTime() < deadline) {
      int n = socket.receive(batch, 100);
      for (int i = 0; i < n; i++) {
        if (UdpEncap.spi(batch.buffer(i), batch.offset(i)) == spi) {
          ours.add(batch.copy(i));
          sources.add(batch.remote(i).getAddress());
          offsets.add(batch.offset(i));
        }
      }
    }
    return ours;
  }

  @Test
  void anEspPacketSentToLoopbackArrivesWithoutItsIpv4Header() throws Exception {
    RawEspSocket receiver = open("127.0.0.1");
    RawEspSocket sender = open("127.0.0.1");
    PacketBatch out = PacketBatch.allocate(1, 2048, 64);
    byte[] packet = esp(1, 100);
    out.put(0, packet, 0, packet.length);
    assertThat(sender.send(out, 0, sender.peer(InetAddress.ofLiteral("127.0.0.1")))).isTrue();

    List<InetAddress> sources = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    List<byte[]> got = receiveOurs(receiver, 1, sources, offsets);
    assertThat(got).singleElement().isEqualTo(packet);
    assertThat(sources).containsExactly(InetAddress.ofLiteral("127.0.0.1"));
    assertThat(offsets).as("20-byte IPv4 header skipped after 64 bytes of headroom").containsExactly(84);
    assertThat(receiver.malformed()).isZero();
  }

  @Test
  void aBurstIsReceivedInBatchesInOrder() throws Exception {
    RawEspSocket receiver = open("127.0.0.1");
    RawEspSocket sender = open("0.0.0.0");
    RawEspSocket.Peer to = sender.peer(InetAddress.ofLiteral("127.0.0.1"));
    PacketBatch out = PacketBatch.allocate(10, 2048, 64);
    for (int i = 0; i < 10; i++) {
      byte[] packet = esp(i + 1, 40 + i);
      out.put(i, packet, 0, packet.length);
      assertThat(sender.send(out, i, to)).isTrue();
    }
    List<byte[]> got = receiveOurs(receiver, 10, new ArrayList<>(), new ArrayList<>());
    assertThat(got).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(got.get(i)).isEqualTo(esp(i + 1, 40 + i));
    }
  }

  @Test
  void sendmmsgAndRecvmmsgMoveABatchInOneCallEach() throws Exception {
    RawEspSocket receiver = open("127.0.0.1");
    RawEspSocket sender = open("127.0.0.1");
    PacketBatch out = PacketBatch.allocate(16, 2048, 64);
    for (int i = 0; i < 16; i++) {
      byte[] packet = esp(i + 1, 30 + 3 * i);
      out.put(i, packet, 0, packet.length);
    }
    assertThat(sender.send(out, 0, 16, sender.peer(InetAddress.ofLiteral("127.0.0.1")))).isEqualTo(16);

    PacketBatch in = PacketBatch.allocate(8, 2048, 64);
    List<byte[]> ours = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (ours.size() < 16 && System.nanoTime() < deadline) {
      int n = receiver.receiveBatched(in, 100);
      for (int i = 0; i < n; i++) {
        if (UdpEncap.spi(in.buffer(i), in.offset(i)) == spi) {
          ours.add(in.copy(i));
          assertThat(in.offset(i)).as("copied to the headroom, IPv4 header left out").isEqualTo(64);
          assertThat(in.remote(i).getAddress()).isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
        }
      }
    }
    assertThat(ours).hasSize(16);
    for (int i = 0; i < 16; i++) {
      assertThat(ours.get(i)).isEqualTo(esp(i + 1, 30 + 3 * i));
    }
  }

  @Test
  void ipv6LoopbackCarriesEspWithNoHeaderToStrip() throws Exception {
    assumeTrue(Files.readString(Path.of("/proc/net/if_inet6")).contains("00000000000000000000000000000001"),
        "IPv6 loopback ::1 is not configured");
    RawEspSocket receiver = open("::1");
    RawEspSocket sender = open("::1");
    PacketBatch out = PacketBatch.allocate(1, 2048, 64);
    byte[] packet = esp(7, 64);
    out.put(0, packet, 0, packet.length);
    assertThat(sender.send(out, 0, sender.peer(InetAddress.ofLiteral("::1")))).isTrue();

    List<Integer> offsets = new ArrayList<>();
    List<InetAddress> sources = new ArrayList<>();
    assertThat(receiveOurs(receiver, 1, sources, offsets)).singleElement().isEqualTo(packet);
    assertThat(offsets).containsExactly(64);
    assertThat(sources).containsExactly(InetAddress.ofLiteral("::1"));
  }

  @Test
  void aPeerOfTheOtherFamilyIsRefused() throws Exception {
    RawEspSocket v4 = open("127.0.0.1");
    assertThatThrownBy(() -> v4.peer(InetAddress.ofLiteral("::1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of the family");
  }

  @Test
  void bindingAnAddressThatIsNotOursSaysWhatToCheck() {
    assertThatThrownBy(() -> open("198.51.100.77"))
        .hasMessageContaining("cannot bind the raw ESP socket to 198.51.100.77")
        .hasMessageContaining("(EADDRNOTAVAIL)")
        .hasMessageContaining("assigned to an interface");
  }

  @Test
  void closeWakesABlockedReceiver() throws Exception {
    RawEspSocket receiver = open("127.0.0.1");
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        // Only other tests' ESP could arrive; loop until close ends it.
        PacketBatch b = PacketBatch.allocate(1, 2048, 0);
        for (int i = 0; i < 1000; i++) {
          receiver.receive(b, -1);
        }
      } catch (java.io.IOException expected) {
        // AsynchronousCloseException
      }
    });
    Thread.sleep(100);
    receiver.close();
    t.join(2000);
    assertThat(t.isAlive()).as("receiver still blocked 2 s after close").isFalse();
  }
}
