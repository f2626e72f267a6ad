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
 * The receive loop of the NAT-T socket: ESP to one consumer, IKE to another, keepalives and junk
 * counted and dropped. Run it on a dedicated platform thread; it returns when the socket closes.
 *
 * <p>ESP goes through a buffer this loop owns and reuses, so the ESP path allocates nothing; IKE
 * gets a fresh copy without the marker. An exception from a handler is logged and the loop goes
 * on: one packet that trips a bug must not take the whole port down.
 */
public final class UdpEncapReceiver implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(UdpEncapReceiver.class);
  /** Room in front of received ESP for in-place work by the consumer. */
  public static final int HEADROOM = 64;
  private static final int MAX_DATAGRAM = 65535;

  private final UdpEncapSocket socket;
  private final EspDatagramHandler esp;
  private final IkeDatagramHandler ike;
  private final PacketBatch buffer = PacketBatch.allocate(1, HEADROOM + MAX_DATAGRAM, HEADROOM);
  private final AtomicLong espCount = new AtomicLong();
  private final AtomicLong ikeCount = new AtomicLong();
  private final AtomicLong keepaliveCount = new AtomicLong();
  private final AtomicLong invalidCount = new AtomicLong();
  private final AtomicLong errorCount = new AtomicLong();

  public UdpEncapReceiver(UdpEncapSocket socket, EspDatagramHandler esp, IkeDatagramHandler ike) {
    this.socket = socket;
    this.esp = esp;
    this.ike = ike;
  }

  @Override
  public void run() {
    while (socket.isOpen()) {
      try {
        socket.receive(buffer, 0);
      } catch (ClosedChannelException e) {
        break; // closed (or the thread was interrupted, which closes the channel): our stop signal
      } catch (IOException e) {
        errorCount.incrementAndGet();
        log.warn("receive on {} failed: {}", socket, e.toString());
        pauseAfterError();
        continue;
      }
      dispatch();
    }
    log.debug("receive loop of {} stopped", socket);
  }

  private void dispatch() {
    byte[] buf = buffer.buffer(0);
    int off = buffer.offset(0);
    int len = buffer.length(0);
    try {
      switch (UdpEncap.classify(buf, off, len)) {
        case ESP -> {
          espCount.incrementAndGet();
          esp.onEsp(buffer, 0);
        }
        case IKE -> {
          ikeCount.incrementAndGet();
          byte[] message = Arrays.copyOfRange(buf, off + UdpEncap.NON_ESP_MARKER_LENGTH, off + len);
          ike.onIke(message, buffer.remote(0), socket.localAddress());
        }
        case KEEPALIVE -> keepaliveCount.incrementAndGet();
        case INVALID -> invalidCount.incrementAndGet();
      }
    } catch (RuntimeException e) {
      errorCount.incrementAndGet();
      InetSocketAddress from = buffer.remote(0);
      log.error("handler failed on a {}-byte datagram from {}; continuing", len, from, e);
    }
  }

  private static void pauseAfterError() {
    // A persistent error (e.g. ENOBUFS) must not turn this loop into a busy spin.
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long espReceived() {
    return espCount.get();
  }

  public long ikeReceived() {
    return ikeCount.get();
  }

  public long keepalivesReceived() {
    return keepaliveCount.get();
  }

  public long invalidReceived() {
    return invalidCount.get();
  }

  /** Receive errors plus handler exceptions. */
  public long errors() {
    return errorCount.get();
  }
}
