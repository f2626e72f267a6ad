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

    /** The receive callback: one IKE message with the addresses it travelled between. */
    @FunctionalInterface
    interface Receiver {
        void received(InetSocketAddress local, InetSocketAddress remote, byte[] message);
    }

    @Override
    void close();
}
