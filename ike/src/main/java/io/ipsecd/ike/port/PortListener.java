package io.ipsecd.ike.port;

import io.ipsecd.esp.TrafficSelector;

/** Events from the data plane that IKE acts on. */
public interface PortListener {
    /** A packet matched a TRAP policy with no SA: negotiate, narrowing to the packet's flow. */
    void acquire(int reqid, TrafficSelector packetSource, TrafficSelector packetDestination);

    /** An SA reached its soft (rekey now) or hard (gone) byte/packet/sequence-number limit. */
    void expired(SaId id, boolean hard);

    /** ESP arrived for an SPI the port doesn't know: the peer may have lost state (RFC 7296 §2.21.4). */
    void unknownSpi(int spi, java.net.InetSocketAddress from);
}
