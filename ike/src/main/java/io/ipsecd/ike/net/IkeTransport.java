package io.ipsecd.ike.net;

import java.net.InetSocketAddress;

/**
 * How IKE messages leave and arrive: a datagram from one of our addresses to a peer. The IKE SA
 * decides the ports (500, or 4500 after NAT-T floating); the transport adds the non-ESP marker on
 * port 4500 (RFC 3948 §2.2) and strips it on receipt, so IKE only ever sees IKE messages.
 */
public interface IkeTransport extends AutoCloseable {
    /** Sends one IKE message; failures (no route, socket closed) are logged, never thrown: IKE retransmits. */
    void send(InetSocketAddress local, InetSocketAddress remote, byte[] message);

    /**
     * A NAT-keepalive (RFC 3948 §2.3: one 0xFF byte) from our NAT-T port to the peer's, to keep the
     * NAT mapping open; a transport without a NAT-T port ignores it.
     */
    default void sendKeepalive(InetSocketAddress local, InetSocketAddress remote) {
    }

    /** The receive callback: one IKE message with the addresses it travelled between. */
    @FunctionalInterface
    interface Receiver {
        void received(InetSocketAddress local, InetSocketAddress remote, byte[] message);
    }

    @Override
    void close();
}
