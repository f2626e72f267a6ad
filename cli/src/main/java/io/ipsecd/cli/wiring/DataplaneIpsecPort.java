package io.ipsecd.cli.wiring;

import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.dataplane.DataplaneException;
import io.ipsecd.dataplane.DataplaneListener;
import io.ipsecd.dataplane.SaInstall;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaStats;
import io.ipsecd.esp.TrafficSelector;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.IpsecPort;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.port.PortListener;
import io.ipsecd.ike.port.SaId;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * IKE's {@link IpsecPort} on top of the user-space {@link Dataplane}: a one-to-one translation,
 * since the data plane's SA-table API mirrors the port (reqid = policy id), plus what IKE leaves to
 * configuration: the interface a policy belongs to and its MSS clamp ({@link PolicyPlacement},
 * looked up by the policy's name). It lives in the composition root because {@code ike} and
 * {@code dataplane} must not know each other.
 *
 * <p>Binding it in the daemon's Guice module (the data plane is started by whoever owns its
 * lifecycle, and closed on shutdown, which zeroes every SA's keys):
 * <pre>{@code
 * @Provides @Singleton Dataplane dataplane(...) {
 *   return new Dataplane(DataplaneConfig.of("ipsec0", new InetSocketAddress(outer, 4500)),
 *       IpCommandLinkConfigurator.create());
 * }
 * @Provides @Singleton IpsecPort ipsecPort(Dataplane dataplane) {
 *   return new DataplaneIpsecPort(dataplane);
 * }
 * }</pre>
 * IKE shares UDP 4500 with ESP: register IKE's receive path with {@link Dataplane#onIke} and send
 * IKE messages through {@code dataplane.udpSocket().orElseThrow().sendIke(...)} once it runs.
 */
public final class DataplaneIpsecPort implements IpsecPort {
  private final Dataplane dataplane;
  private final Function<String, PolicyPlacement> placement;

  /** Every policy on the main interface, unclamped. */
  public DataplaneIpsecPort(Dataplane dataplane) {
    this(dataplane, name -> PolicyPlacement.MAIN);
  }

  /**
   * @param placement where the policy with IKE's name ({@code connection/child}) goes: its
   *     interface and MSS clamp ({@link RouteInterfaces#placement})
   */
  public DataplaneIpsecPort(Dataplane dataplane, Function<String, PolicyPlacement> placement) {
    this.dataplane = Objects.requireNonNull(dataplane, "dataplane");
    this.placement = Objects.requireNonNull(placement, "placement");
  }

  @Override
  public void addSa(ChildSaInstall sa) throws IpsecPortException {
    try {
      dataplane.addSa(new SaInstall(sa.reqid(), sa.esp(), sa.local(), sa.remote(), sa.udpEncapsulation()));
    } catch (DataplaneException e) {
      throw new IpsecPortException(e.getMessage());
    }
  }

  @Override
  public void deleteSa(SaId id) {
    dataplane.deleteSa(id.spi(), id.direction());
  }

  @Override
  public void addPolicy(IpsecPolicy policy) throws IpsecPortException {
    Policy.Action action = switch (policy.action()) {
      case PROTECT -> Policy.Action.PROTECT;
      case TRAP -> Policy.Action.TRAP;
    };
    PolicyPlacement where = placement.apply(policy.name());
    try {
      dataplane.addPolicy(new Policy(policy.reqid(), policy.name(), policy.local(), policy.remote(), action,
          policy.outboundSpi(), where.interfaceId(), where.mssClamp()));
    } catch (DataplaneException e) {
      throw new IpsecPortException(e.getMessage());
    }
  }

  @Override
  public void switchOutbound(int reqid, int outboundSpi) throws IpsecPortException {
    try {
      dataplane.switchOutbound(reqid, outboundSpi);
    } catch (DataplaneException e) {
      throw new IpsecPortException(e.getMessage());
    }
  }

  @Override
  public void deletePolicy(int reqid) {
    dataplane.deletePolicy(reqid);
  }

  @Override
  public Optional<SaStats> usage(SaId id) {
    return dataplane.usage(id.spi(), id.direction());
  }

  @Override
  public void listen(PortListener listener) {
    Objects.requireNonNull(listener, "listener");
    dataplane.listen(new DataplaneListener() {
      @Override
      public void acquire(int policyId, TrafficSelector packetSource, TrafficSelector packetDestination) {
        listener.acquire(policyId, packetSource, packetDestination);
      }

      @Override
      public void expired(int spi, SaDirection direction, boolean hard) {
        listener.expired(new SaId(spi, direction), hard);
      }

      @Override
      public void unknownSpi(int spi, InetSocketAddress from) {
        listener.unknownSpi(spi, from);
      }
    });
  }
}
