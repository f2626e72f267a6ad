package io.ipsecd.dataplane;

import io.ipsecd.esp.EspTransform;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Dataplane} starts.
 *
 * @param tunName the TUN interface to create (a {@code %d} template lets the kernel pick)
 * @param tunAddresses addresses to give the TUN (a gateway's own inner address, for pings from it)
 * @param udpBind the NAT-T socket's address, normally {@code <outer address>:4500}; IKE shares it
 * @param rawEspBind when present, also send and receive raw ESP (protocol 50) on this address
 * @param outerMtu MTU of the path to the peers; the tunnel MTU is derived from it
 * @param manageRoutes route each policy's remote selectors into the TUN (any-to-any selectors are
 *     never routed: a route-based child's routes come from configuration)
 */
public record DataplaneConfig(String tunName, List<TunAddress> tunAddresses, InetSocketAddress udpBind,
                              Optional<InetAddress> rawEspBind, int outerMtu, boolean manageRoutes) {
  /** An address for the TUN interface, e.g. 10.1.0.1/32. */
  public record TunAddress(InetAddress address, int prefixLength) {}

  /** The transform the TUN MTU is sized for; SAs with more overhead answer oversize packets with ICMP. */
  static final EspTransform MTU_REFERENCE_TRANSFORM = EspTransform.AES_GCM_256;

  public DataplaneConfig {
    Objects.requireNonNull(tunName, "tunName");
    tunAddresses = List.copyOf(tunAddresses);
    Objects.requireNonNull(udpBind, "udpBind");
    Objects.requireNonNull(rawEspBind, "rawEspBind");
    if (outerMtu < 576 || outerMtu > 65535) {
      throw new IllegalArgumentException("outer MTU " + outerMtu + " outside 576..65535");
    }
  }

  /** UDP encapsulation only, outer MTU 1500, routes managed. */
  public static DataplaneConfig of(String tunName, InetSocketAddress udpBind) {
    return new DataplaneConfig(tunName, List.of(), udpBind, Optional.empty(), 1500, true);
  }

  public DataplaneConfig withTunAddresses(List<TunAddress> addresses) {
    return new DataplaneConfig(tunName, addresses, udpBind, rawEspBind, outerMtu, manageRoutes);
  }

  public DataplaneConfig withRawEsp(InetAddress bind) {
    return new DataplaneConfig(tunName, tunAddresses, udpBind, Optional.of(bind), outerMtu, manageRoutes);
  }

  public DataplaneConfig withOuterMtu(int mtu) {
    return new DataplaneConfig(tunName, tunAddresses, udpBind, rawEspBind, mtu, manageRoutes);
  }

  /** Outer MTU minus outer IP and UDP headers minus the reference transform's worst-case overhead. */
  public int tunnelMtu() {
    return MTU_REFERENCE_TRANSFORM.maxInnerLength(espBudget(udpBind.getAddress(), true));
  }

  /** Bytes an ESP packet may take toward {@code peer}: outer MTU minus outer IP (and UDP) header. */
  int espBudget(InetAddress peer, boolean udp) {
    return outerMtu - (peer instanceof Inet6Address ? 40 : 20) - (udp ? 8 : 0);
  }
}
