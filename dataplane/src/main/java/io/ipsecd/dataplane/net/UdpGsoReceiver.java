package io.ipsecd.dataplane.net;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loop of the {@link UdpGsoSocket}: splits GRO-coalesced buffers back into datagrams,
 * then ESP to one consumer, IKE to another, keepalives and junk counted and dropped. Run it on a
 * dedicated platform thread; it returns when the socket closes. ESP goes through one slot this
 * loop owns (copied there with headroom, so the consumer can work in place); IKE gets a fresh copy
 * without the marker. A handler's exception is logged and the loop goes on.
 */
public final class UdpGsoReceiver implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(UdpGsoReceiver.class);
  public static final int HEADROOM = 64;
  private static final int WAIT_MILLIS = 1000;

  private final UdpGsoSocket socket;
  private final EspDatagramHandler esp;
  private final IkeDatagramHandler ike;
  private final PacketBatch slot = PacketBatch.allocate(1, HEADROOM + 65_536 + 64, HEADROOM);
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  public UdpGsoReceiver(UdpGsoSocket socket, EspDatagramHandler esp, IkeDatagramHandler ike) {
    this.socket = socket;
    this.esp = esp;
    this.ike = ike;
  }

  @Override
  public void run() {
    while (socket.isOpen()) {
      int n;
      try {
        n = socket.receive(WAIT_MILLIS);
      } catch (ClosedChannelException e) {
        break;
      } catch (IOException e) {
        errors.incrementAndGet();
        log.warn("receive on {} failed: {}", socket, e.toString());
        pause();
        continue;
      }
      if (n == 0) {
        continue;
      }
      int segment = socket.segmentSize();
      if (segment <= 0 || segment > n) {
        segment = n;
      }
      InetSocketAddress from = socket.remote();
      for (int off = 0; off < n; off += segment) {
        int len = Math.min(segment, n - off);
        socket.copyTo(off, len, slot, 0);
        slot.remote(0, from);
        dispatch(len, from);
      }
      try {
        esp.onBurstEnd();
      } catch (RuntimeException e) {
        errors.incrementAndGet();
        log.error("handler failed at the end of a burst; continuing", e);
      }
    }
    log.debug("receive loop of {} stopped", socket);
  }

  private void dispatch(int len, InetSocketAddress from) {
    byte[] buf = slot.buffer(0);
    int off = slot.offset(0);
    try {
      switch (UdpEncap.classify(buf, off, len)) {
        case ESP -> esp.onEsp(slot, 0);
        case IKE -> ike.onIke(Arrays.copyOfRange(buf, off + UdpEncap.NON_ESP_MARKER_LENGTH, off + len), from,
            socket.localAddress());
        case KEEPALIVE -> { }
        case INVALID -> invalid.incrementAndGet();
      }
    } catch (RuntimeException e) {
      errors.incrementAndGet();
      log.error("handler failed on a {}-byte datagram from {}; continuing", len, from, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10); // a persistent error must not become a busy loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long invalidReceived() {
    return invalid.get();
  }

  public long errors() {
    return errors.get();
  }
}
