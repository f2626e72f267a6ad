package io.ipsecd.dataplane.net;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The UDP socket on the NAT-T port (4500) that IKE and ESP-in-UDP share (RFC 3948). A plain
 * {@link DatagramChannel}: no privilege beyond binding the port, and on loopback it moved about as
 * many packets per second as a raw ESP socket (see java_impl.md §2).
 *
 * <p>The kernel's own ESP-in-UDP decapsulation ({@code UDP_ENCAP}) is deliberately not enabled: it
 * would hand ESP to XFRM, while here it is user space's to decrypt.
 *
 * <p>Sends may come from any thread (the channel serializes them); receiving is for one thread, the
 * {@link UdpEncapReceiver}. Closing the socket, or interrupting the receiving thread, ends a
 * blocked receive at once.
 */
public final class UdpEncapSocket implements AutoCloseable {
  public static final int NAT_T_PORT = 4500;
  private static final ByteBuffer KEEPALIVE = ByteBuffer.wrap(new byte[] {UdpEncap.KEEPALIVE_BYTE}).asReadOnlyBuffer();
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;

  private final DatagramChannel channel;
  private final InetSocketAddress local;

  private UdpEncapSocket(DatagramChannel channel, InetSocketAddress local) {
    this.channel = channel;
    this.local = local;
  }

  /** Binds {@code local} (port 0 picks a free port, useful in tests). */
  public static UdpEncapSocket bind(InetSocketAddress local) throws IOException {
    ProtocolFamily family = local.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    DatagramChannel channel = DatagramChannel.open(family);
    try {
      // Bursts of ESP outrun one receiving thread briefly; a larger buffer absorbs them instead of dropping.
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.bind(local);
      return new UdpEncapSocket(channel, (InetSocketAddress) channel.getLocalAddress());
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot bind the NAT-T socket to " + local + ": " + e.getMessage()
          + "; is another IKE daemon (charon, pluto) holding the port? check 'ss -ulpn'", e);
    }
  }

  public InetSocketAddress localAddress() {
    return local;
  }

  public boolean isOpen() {
    return channel.isOpen();
  }

  /**
   * Blocks until a datagram arrives and puts its payload in {@code slot} at the batch's headroom,
   * sender in {@code batch.remote(slot)}. The JDK caches the sender address object per peer, so a
   * steady stream from one peer allocates nothing.
   */
  public void receive(PacketBatch batch, int slot) throws IOException {
    ByteBuffer view = batch.receiveView(slot);
    InetSocketAddress from = (InetSocketAddress) channel.receive(view);
    batch.set(slot, batch.headroom(), view.position() - batch.headroom());
    batch.remote(slot, from);
  }

  /** Sends the ESP packet in {@code slot} (starting at its SPI) to {@code peer}. */
  public void sendEsp(PacketBatch batch, int slot, InetSocketAddress peer) throws IOException {
    channel.send(batch.packetView(slot), peer);
  }

  /** Sends an IKE message behind the non-ESP marker; allocates, which is fine at IKE's rate. */
  public void sendIke(byte[] message, int off, int len, InetSocketAddress peer) throws IOException {
    ByteBuffer datagram = ByteBuffer.allocate(UdpEncap.NON_ESP_MARKER_LENGTH + len);
    datagram.putInt(0).put(message, off, len).flip();
    channel.send(datagram, peer);
  }

  /** Sends a NAT-keepalive (RFC 3948 §2.3) to keep the NAT mapping toward {@code peer} open. */
  public void sendKeepalive(InetSocketAddress peer) throws IOException {
    channel.send(KEEPALIVE.duplicate(), peer);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "NAT-T socket " + local;
  }
}
