package io.ipsecd.dataplane;

import io.ipsecd.dataplane.net.RawEspSocket;
import io.ipsecd.dataplane.packet.PacketBatch;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Receives raw ESP (protocol 50) in batches and hands each packet to its inbound path. */
final class RawReceiveLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RawReceiveLoop.class);
  private final RawEspSocket socket;
  private final InboundPath path;
  private final PacketBatch batch;

  RawReceiveLoop(RawEspSocket socket, InboundPath path, int slotSize) {
    this.socket = socket;
    this.path = path;
    this.batch = PacketBatch.allocate(32, slotSize + 60, Dataplane.HEADROOM); // + room for the IPv4 header
  }

  @Override
  public void run() {
    while (true) {
      int n;
      try {
        n = socket.receive(batch, 500);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("raw ESP receive failed: {}", e.getMessage());
        try {
          Thread.sleep(10); // a persistent error must not become a busy loop
        } catch (InterruptedException ie) {
          return;
        }
        continue;
      }
      for (int i = 0; i < n; i++) {
        try {
          path.onEsp(batch, i);
        } catch (RuntimeException e) {
          log.error("inbound path failed on a raw ESP packet; continuing", e);
        }
      }
      if (n > 0) {
        path.onBurstEnd();
      }
    }
  }
}
