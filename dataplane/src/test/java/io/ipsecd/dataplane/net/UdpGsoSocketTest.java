package io.ipsecd.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FFM NAT-T socket on 127.0.0.1: segmented sends come back as the same datagrams, in order. */
class UdpGsoSocketTest {
  private UdpGsoSocket sender;
  private UdpGsoSocket receiver;
  private Thread loop;
  private final BlockingQueue<byte[]> esp = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> ike = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    sender = UdpGsoSocket.bind(any);
    receiver = UdpGsoSocket.bind(any);
    UdpGsoReceiver rx = new UdpGsoReceiver(receiver, (b, slot) -> esp.add(b.copy(slot)), (m, from, local) -> ike.add(m));
    loop = Thread.ofPlatform().name("gso-receiver").start(rx);
  }

  @AfterEach
  void close() throws Exception {
    sender.close();
    receiver.close();
    loop.join(3000);
    assertThat(loop.isAlive()).as("receive loop stopped on close").isFalse();
  }

  private static byte[] espPacket(int seq, int length) {
    byte[] p = new byte[length];
    p[2] = 0x10; // SPI 0x00001000
    p[7] = (byte) seq;
    for (int i = 8; i < length; i++) {
      p[i] = (byte) (seq * 31 + i);
    }
    return p;
  }

  @Test
  void aRunOfEqualPacketsWithAShorterLastArrivesAsTheSameDatagramsInOrder() throws Exception {
    PacketBatch batch = PacketBatch.allocate(8, 2048, 64);
    List<byte[]> packets = List.of(espPacket(1, 1200), espPacket(2, 1200), espPacket(3, 1200), espPacket(4, 1200),
        espPacket(5, 700), espPacket(6, 1300), espPacket(7, 90));
    int[] slots = new int[packets.size()];
    for (int i = 0; i < packets.size(); i++) {
      batch.put(i, packets.get(i), 0, packets.get(i).length);
      slots[i] = i;
    }
    int sent = sender.sendEsp(batch, slots, 0, slots.length, UdpGsoSocket.peer(receiver.localAddress()));
    assertThat(sent).isEqualTo(packets.size());
    for (byte[] expected : packets) {
      assertThat(esp.poll(2, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    assertThat(esp.poll(100, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void ikeGoesBehindTheMarkerAndKeepalivesAreDropped() throws Exception {
    byte[] message = new byte[28];
    message[0] = 0x42;
    sender.sendKeepalive(receiver.localAddress());
    sender.sendIke(message, 0, message.length, receiver.localAddress());
    assertThat(ike.poll(2, TimeUnit.SECONDS)).isEqualTo(message);
    assertThat(esp).isEmpty();
  }
}
