package io.ipsecd.cli.tunnel;

import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.net.UdpIkeTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's IKE sockets: UDP 500 and 4500 on each configured local address, opened one address
 * at a time so that an address this host doesn't have (or a port without the privilege to bind
 * it) costs only the connections on that address, and {@code up} can say why.
 */
final class IkeSockets implements IkeTransport {
  private static final Logger log = LoggerFactory.getLogger("net");

  private final int ikePort;
  private final int natTPort;
  private final Receiver receiver;
  private final Map<InetAddress, UdpIkeTransport> open = new ConcurrentHashMap<>();
  private final Map<InetAddress, String> failed = new ConcurrentHashMap<>();

  IkeSockets(int ikePort, int natTPort, Receiver receiver) {
    this.ikePort = ikePort;
    this.natTPort = natTPort;
    this.receiver = receiver;
  }

  /** Opens the sockets of {@code address} unless already open; a failure is logged once and remembered. */
  void ensure(InetAddress address) {
    if (open.containsKey(address)) {
      return;
    }
    try {
      open.put(address, UdpIkeTransport.open(List.of(address), ikePort, natTPort, receiver));
      failed.remove(address);
      log.info("IKE listening on {} ports {} and {}", address.getHostAddress(), ikePort, natTPort);
    } catch (IOException e) {
      if (failed.put(address, e.getMessage()) == null) {
        log.warn("{}; connections from this address cannot negotiate (is it an address of this host? "
            + "is ipsecd root or allowed to bind ports below 1024?)", e.getMessage());
      }
    }
  }

  /** Why the sockets of {@code address} are not open, if they are not. */
  Optional<String> problem(InetAddress address) {
    if (open.containsKey(address)) {
      return Optional.empty();
    }
    return Optional.of(failed.getOrDefault(address, "no IKE socket on " + address.getHostAddress()));
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
    UdpIkeTransport t = open.get(local.getAddress());
    if (t == null) {
      log.debug("no IKE socket on {}: message to {} not sent", local, remote);
      return;
    }
    t.send(local, remote, message);
  }

  @Override
  public void close() {
    open.values().forEach(UdpIkeTransport::close);
    open.clear();
  }
}
