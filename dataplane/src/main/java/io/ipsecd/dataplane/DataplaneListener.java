package io.ipsecd.dataplane;

import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.TrafficSelector;
import java.net.InetSocketAddress;

/**
 * What the data plane tells the control plane. Called on the data plane's event thread, never on a
 * packet worker, in the order the events happened; a slow listener delays later events, and when
 * the bounded event queue is full, events are dropped and counted ({@link DropStats#eventsLost()}).
 */
public interface DataplaneListener {
  /** A packet hit a TRAP policy with no SA: negotiate one, narrowed to this flow (host selectors). */
  void acquire(int policyId, TrafficSelector packetSource, TrafficSelector packetDestination);

  /** An SA reached its soft limit (rekey now) or its hard one (it refuses packets from now on). */
  void expired(int spi, SaDirection direction, boolean hard);

  /** ESP arrived for an SPI nobody installed (rate-limited): the peer may have lost state. */
  void unknownSpi(int spi, InetSocketAddress from);

  DataplaneListener NONE = new DataplaneListener() {
    @Override public void acquire(int policyId, TrafficSelector src, TrafficSelector dst) {}

    @Override public void expired(int spi, SaDirection direction, boolean hard) {}

    @Override public void unknownSpi(int spi, InetSocketAddress from) {}
  };
}
