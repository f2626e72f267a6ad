package io.ipsecd.dataplane.tun;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.io.IOException;

/**
 * One queue of a layer-3 TUN interface: IP packets in and out, no link header, no packet-info
 * prefix. Batch-oriented like wireguard-go's {@code tun.Device}, so an implementation can move
 * several packets per wake-up (and later per syscall) without the caller changing.
 *
 * <p>One thread reads and one thread writes at a time; {@link #close()} may come from any thread
 * and wakes a blocked reader within a bounded time.
 */
public interface TunDevice extends AutoCloseable {
  /** The interface name the kernel gave, e.g. {@code ipsec0}. */
  String name();

  /**
   * Reads up to {@code batch.slots()} packets into slots from 0 at the batch's headroom, waiting up
   * to {@code timeoutMillis} for the first one (negative: no limit), then taking only what is
   * already queued. Sets {@link PacketBatch#count()}. Each slot must have room for the interface
   * MTU after the headroom.
   *
   * @return packets read, 0 on timeout
   * @throws java.nio.channels.AsynchronousCloseException if closed while waiting
   */
  int read(PacketBatch batch, int timeoutMillis) throws IOException;

  /**
   * Hands the packets in slots [from, to) to the kernel, as if they had arrived on this interface.
   * A packet the kernel refuses as malformed is counted in {@link #rejectedWrites()} and skipped,
   * so one bad packet from a peer doesn't stop the batch.
   *
   * @return packets accepted
   */
  int write(PacketBatch batch, int from, int to) throws IOException;

  /**
   * True when every read packet starts with a {@link VirtioNetHeader} (offloads on), and writes
   * use the {@link VirtioNetHeader#SIZE} bytes before each packet's offset for one.
   */
  default boolean virtioHeaders() {
    return false;
  }

  /**
   * With {@link #virtioHeaders()} only: writes the slot's bytes as they are, a
   * {@link VirtioNetHeader} the caller built first (e.g. for a coalesced TCP super-packet).
   *
   * @return true when the kernel took it
   */
  default boolean writeFrame(PacketBatch batch, int slot) throws IOException {
    throw new UnsupportedOperationException("TUN without virtio headers");
  }

  /** Packets {@link #write} skipped because the kernel refused them (not IPv4/IPv6, too short). */
  long rejectedWrites();

  /** Closes this queue; the interface disappears when its last queue closes. Idempotent. */
  @Override
  void close();
}
