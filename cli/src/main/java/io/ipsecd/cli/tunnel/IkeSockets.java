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
  /** Addresses whose NAT-T port belongs to the data plane: IKE sends through it there. */
  private final Map<InetAddress, NatTSender> shared = new ConcurrentHashMap<>();

  /** The data plane's NAT-T socket, as IKE uses it: send one IKE message behind the non-ESP marker. */
  interface NatTSender {
    void send(byte[] message, InetSocketAddress peer) throws java.io.IOException;

    void keepalive(InetSocketAddress peer) throws java.io.IOException;
  }

  IkeSockets(int ikePort, int natTPort, Receiver receiver) {
    this.ikePort = ikePort;
    this.natTPort = natTPort;
    this.receiver = receiver;
  }

  /** From now on, NAT-T traffic of {@code address} goes through the data plane's socket. Call before {@link #ensure}. */
  void share(InetAddress address, NatTSender sender) {
    shared.put(address, sender);
  }

  /** Opens the sockets of {@code address} unless already open; a failure is logged once and remembered. */
  void ensure(InetAddress address) {
    if (open.containsKey(address)) {
      return;
    }
    try {
      open.put(address, UdpIkeTransport.open(List.of(address), ikePort, natTPort, !shared.containsKey(address),
          receiver));
      failed.remove(address);
      log.info("IKE listening on {} port {} and {}", address.getHostAddress(), ikePort,
          shared.containsKey(address) ? natTPort + " (shared with the data plane)" : natTPort);
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
    NatTSender natT = local.getPort() == natTPort ? shared.get(local.getAddress()) : null;
    if (natT != null) {
      try {
        natT.send(message, remote);
      } catch (java.io.IOException e) {
        log.warn("IKE send {} -> {} through the data plane failed: {}", local, remote, e.toString());
      }
      return;
    }
    UdpIkeTransport t = open.get(local.getAddress());
    if (t == null) {
      log.debug("no IKE socket on {}: message to {} not sent", local, remote);
      return;
    }
    t.send(local, remote, message);
  }

  @Override
  public void sendKeepalive(InetSocketAddress local, InetSocketAddress remote) {
    NatTSender natT = shared.get(local.getAddress());
    try {
      if (natT != null) {
        natT.keepalive(remote);
      } else if (open.get(local.getAddress()) instanceof UdpIkeTransport t) {
        t.sendKeepalive(local, remote);
      }
    } catch (java.io.IOException e) {
      log.debug("NAT-keepalive to {} failed: {}", remote, e.toString());
    }
  }

  @Override
  public void close() {
    open.values().forEach(UdpIkeTransport::close);
    open.clear();
  }
}
