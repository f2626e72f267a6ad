package io.ipsecd.dataplane;

import io.ipsecd.dataplane.tun.TunDevice;

/**
 * One running interface of the data plane: its TUN queue, the writer the inbound paths share for
 * it, and its outbound worker thread.
 */
record TunLink(int id, TunDevice tun, TunWriter writer, OutboundWorker outbound, Thread thread) {
  String name() {
    return tun.name();
  }

  /** Stops the worker and closes the TUN (its routes go with it); {@link #join} waits for the thread. */
  void stop() {
    outbound.stop();
    tun.close();
  }

  boolean join(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }
}
