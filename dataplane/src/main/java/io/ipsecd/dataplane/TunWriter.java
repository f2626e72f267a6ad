package io.ipsecd.dataplane;

import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.tun.TunDevice;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises writes into the TUN queue. {@link TunDevice} takes one writer at a time, and up to
 * three threads write: the UDP decrypt worker, the raw-ESP decrypt worker (when raw ESP is on),
 * and the outbound worker (ICMP errors, rarely). The lock is uncontended in the usual case of one
 * transport per peer, where it costs a compare-and-set per packet, small next to the AEAD.
 */
final class TunWriter {
  private final TunDevice tun;
  private final ReentrantLock lock = new ReentrantLock();

  TunWriter(TunDevice tun) {
    this.tun = tun;
  }

  /** True when the TUN merges TCP segments (see {@link io.ipsecd.dataplane.tun.TcpCoalescer}). */
  boolean coalesces() {
    return tun.virtioHeaders();
  }

  /** Writes a frame that starts with its own virtio header. */
  boolean writeFrame(PacketBatch batch, int slot) throws IOException {
    lock.lock();
    try {
      return tun.writeFrame(batch, slot);
    } finally {
      lock.unlock();
    }
  }

  /** True when the kernel took the packet in {@code slot}. */
  boolean write(PacketBatch batch, int slot) throws IOException {
    lock.lock();
    try {
      return tun.write(batch, slot, slot + 1) == 1;
    } finally {
      lock.unlock();
    }
  }
}
