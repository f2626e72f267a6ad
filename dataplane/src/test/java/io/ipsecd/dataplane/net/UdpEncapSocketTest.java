package io.ipsecd.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NAT-T socket and its receive loop on 127.0.0.1; needs no privileges. */
class UdpEncapSocketTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] IKE_MESSAGE = HEX.parseHex(
      "0123456789abcdef" + "0000000000000000" + "21202208" + "00000000" + "0000001c");
  private static final byte[] ESP_PACKET = HEX.parseHex("c0ffee01" + "00000001" + "0102030405060708");

  private record Received(byte[] bytes, InetSocketAddress from, int offset) {}

  private final List<Received> esp = new CopyOnWriteArrayList<>();
  private final List<Received> ike = new CopyOnWriteArrayList<>();
  private UdpEncapSocket socket;
  private DatagramChannel peer;
  private Thread loop;
  private UdpEncapReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    socket = UdpEncapSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    peer = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    receiver = new UdpEncapReceiver(socket,
        (PacketBatch b, int slot) -> esp.add(new Received(b.copy(slot), b.remote(slot), b.offset(slot))),
        (message, from, local) -> ike.add(new Received(message, from, 0)));
    loop = Thread.ofPlatform().name("nat-t-receiver").start(receiver);
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    peer.close();
    loop.join(2000);
    assertThat(loop.isAlive()).as("receive loop still running 2 s after close").isFalse();
  }

  private void sendFromPeer(byte[] datagram) throws Exception {
    peer.send(ByteBuffer.wrap(datagram), socket.localAddress());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 3 s waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  @Test
  void sortsIncomingTrafficByTheNonEspMarker() throws Exception {
    byte[] markedIke = ByteBuffer.allocate(4 + IKE_MESSAGE.length).putInt(0).put(IKE_MESSAGE).array();
    sendFromPeer(markedIke);
    sendFromPeer(ESP_PACKET);
    sendFromPeer(new byte[] {(byte) 0xff});
    sendFromPeer(new byte[] {0, 0});
    await("4 datagrams", () -> receiver.espReceived() + receiver.ikeReceived()
        + receiver.keepalivesReceived() + receiver.invalidReceived() == 4);

    assertThat(esp).singleElement().satisfies(r -> {
      assertThat(r.bytes()).isEqualTo(ESP_PACKET);
      assertThat(r.from()).isEqualTo(peer.getLocalAddress());
      assertThat(r.offset()).as("headroom for in-place work").isEqualTo(UdpEncapReceiver.HEADROOM);
    });
    assertThat(ike).singleElement().satisfies(r -> {
      assertThat(r.bytes()).as("marker removed").isEqualTo(IKE_MESSAGE);
      assertThat(r.from()).isEqualTo(peer.getLocalAddress());
    });
    assertThat(receiver.keepalivesReceived()).isEqualTo(1);
    assertThat(receiver.invalidReceived()).isEqualTo(1);
    assertThat(receiver.errors()).isZero();
  }

  @Test
  void aThrowingHandlerDoesNotStopTheLoop() throws Exception {
    socket.close();
    loop.join(2000);
    socket = UdpEncapSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    receiver = new UdpEncapReceiver(socket, (b, slot) -> {
      if (b.buffer(slot)[b.offset(slot) + 7] == 1) {
        throw new IllegalStateException("bug in the ESP path");
      }
      esp.add(new Received(b.copy(slot), b.remote(slot), b.offset(slot)));
    }, (m, f, l) -> { });
    loop = Thread.ofPlatform().name("nat-t-receiver").start(receiver);

    sendFromPeer(ESP_PACKET); // sequence number 1: the handler throws
    byte[] second = ESP_PACKET.clone();
    second[7] = 2;
    sendFromPeer(second);
    await("the second packet", () -> esp.size() == 1);
    assertThat(esp.getFirst().bytes()).isEqualTo(second);
    assertThat(receiver.errors()).isEqualTo(1);
  }

  @Test
  void sendsEspIkeAndKeepalivesInTheirWireForms() throws Exception {
    InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
    PacketBatch batch = PacketBatch.allocate(1, 256, 32);
    batch.put(0, ESP_PACKET, 0, ESP_PACKET.length);
    socket.sendEsp(batch, 0, to);
    socket.sendIke(IKE_MESSAGE, 0, IKE_MESSAGE.length, to);
    socket.sendKeepalive(to);

    peer.configureBlocking(true);
    ByteBuffer got = ByteBuffer.allocate(256);
    assertThat(peer.receive(got)).isEqualTo(socket.localAddress());
    assertThat(HEX.formatHex(got.array(), 0, got.position())).isEqualTo(HEX.formatHex(ESP_PACKET));
    got.clear();
    peer.receive(got);
    assertThat(HEX.formatHex(got.array(), 0, got.position())).isEqualTo("00000000" + HEX.formatHex(IKE_MESSAGE));
    got.clear();
    peer.receive(got);
    assertThat(HEX.formatHex(got.array(), 0, got.position())).isEqualTo("ff");
  }
}
