package io.ipsecd.ike.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IkeTransport} over JDK datagram channels: per local address one socket on the IKE port
 * (500) and one on the NAT-T port (4500). On the NAT-T socket every IKE message carries the
 * four-byte non-ESP marker; datagrams without it are ESP (or 0xFF NAT keepalives) and are not IKE's.
 * Ports are parameters so tests can run two gateways on loopback with free ports.
 */
public final class UdpIkeTransport implements IkeTransport {
    private static final Logger log = LoggerFactory.getLogger("net");
    private static final int MAX_DATAGRAM = 65_535;
    private static final byte[] NON_ESP_MARKER = new byte[4];

    private final int natTPort;
    private final Receiver receiver;
    private final Map<InetSocketAddress, DatagramChannel> sockets = new ConcurrentHashMap<>();
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean closed;

    private UdpIkeTransport(int natTPort, Receiver receiver) {
        this.natTPort = natTPort;
        this.receiver = receiver;
    }

    /**
     * Binds {@code ikePort} and {@code natTPort} on each address; a receive thread per socket hands
     * messages to {@code receiver} (which should pass them to the IKE event loop quickly).
     */
    public static UdpIkeTransport open(List<InetAddress> addresses, int ikePort, int natTPort, Receiver receiver)
            throws IOException {
        return open(addresses, ikePort, natTPort, true, receiver);
    }

    /**
     * Like {@link #open(List, int, int, Receiver)}; without {@code bindNatT} only the IKE port is
     * bound, for when the data plane owns port 4500 and hands IKE its share of it.
     */
    public static UdpIkeTransport open(List<InetAddress> addresses, int ikePort, int natTPort, boolean bindNatT,
                                       Receiver receiver) throws IOException {
        UdpIkeTransport t = new UdpIkeTransport(natTPort, receiver);
        try {
            for (InetAddress address : addresses) {
                t.bind(new InetSocketAddress(address, ikePort));
                if (bindNatT) {
                    t.bind(new InetSocketAddress(address, natTPort));
                }
            }
        } catch (IOException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** What an admin should check for the usual bind failures. */
    static String hint(IOException e) {
        if (e instanceof java.net.BindException && e.getMessage() != null) {
            String m = e.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (m.contains("assign")) {
                return " (is it an address of this host? check 'ip -br addr' and the connection's local address)";
            }
            if (m.contains("in use")) {
                return " (is another IKE daemon (charon, pluto) holding the port? check 'ss -ulpn')";
            }
            if (m.contains("permission")) {
                return " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            }
        }
        return "";
    }

    private void bind(InetSocketAddress local) throws IOException {
        DatagramChannel channel = DatagramChannel.open(local.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(local);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind IKE socket " + hostPort(local) + ": " + e.getMessage() + hint(e), e);
        }
        sockets.put(local, channel);
        Thread reader = Thread.ofPlatform().daemon(true).name("ike-rx-" + local.getPort())
                .start(() -> readLoop(local, channel));
        readers.add(reader);
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The ports actually bound on one address (useful when binding port 0 in tests). */
    public List<InetSocketAddress> boundAddresses() throws IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (DatagramChannel c : sockets.values()) {
            out.add((InetSocketAddress) c.getLocalAddress());
        }
        return out;
    }

    private void readLoop(InetSocketAddress local, DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        boolean natT = local.getPort() == natTPort;
        while (!closed) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                byte[] data = new byte[buffer.remaining()];
                buffer.get(data);
                if (natT) {
                    // Not IKE: ESP (non-zero SPI) or a one-byte 0xFF NAT keepalive (RFC 3948 §2.3).
                    if (data.length < 4 || data[0] != 0 || data[1] != 0 || data[2] != 0 || data[3] != 0) {
                        continue;
                    }
                    data = Arrays.copyOfRange(data, 4, data.length);
                }
                receiver.received(local, from, data);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("IKE socket {}: receive failed: {}", local, e.toString());
            }
        }
    }

    @Override
    public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
        DatagramChannel channel = sockets.get(local);
        if (channel == null) {
            log.warn("no IKE socket bound on {}: cannot send to {}", local, remote);
            return;
        }
        ByteBuffer out;
        if (local.getPort() == natTPort) {
            out = ByteBuffer.allocate(4 + message.length).put(NON_ESP_MARKER).put(message).flip();
        } else {
            out = ByteBuffer.wrap(message);
        }
        try {
            channel.send(out, remote);
        } catch (IOException e) {
            log.warn("IKE send {} -> {} failed: {}", local, remote, e.toString());
        }
    }

    @Override
    public void sendKeepalive(InetSocketAddress local, InetSocketAddress remote) {
        DatagramChannel channel = sockets.get(local);
        if (channel == null || local.getPort() != natTPort) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(new byte[] {(byte) 0xff}), remote);
        } catch (IOException e) {
            log.debug("NAT-keepalive {} -> {} failed: {}", local, remote, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (DatagramChannel c : sockets.values()) {
            try {
                c.close();
            } catch (IOException e) {
                log.debug("closing IKE socket: {}", e.toString());
            }
        }
        for (Thread t : readers) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
