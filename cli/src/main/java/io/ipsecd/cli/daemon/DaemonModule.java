package io.ipsecd.cli.daemon;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ipsecd.cli.control.ControlHandler;
import io.ipsecd.cli.control.ControlServer;
import io.ipsecd.cli.tunnel.CertificateInventory;
import io.ipsecd.cli.tunnel.EventBus;
import io.ipsecd.cli.tunnel.IkeTunnelService;
import io.ipsecd.cli.tunnel.TunnelRegistry;
import io.ipsecd.cli.tunnel.TunnelService;
import io.ipsecd.cli.tunnel.UnattachedPort;
import io.ipsecd.cli.wiring.DataplaneIpsecPort;
import io.ipsecd.cli.wiring.RouteInterfaces;
import io.ipsecd.cli.wiring.RoutedTunnelService;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.Control;
import io.ipsecd.conf.RouteInterface;
import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.dataplane.DataplaneConfig;
import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.ike.exchange.Negotiator;
import io.ipsecd.ike.port.IpsecPort;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** The composition root: the one place that decides which implementation backs each part. */
final class DaemonModule extends AbstractModule {
  static final String TUN = RouteInterface.POLICY_BASED_INTERFACE;
  private final Path configFile;
  private final Config initialConfig;
  private final Path socket;
  private final GlobalSettings globals;

  DaemonModule(Path configFile, Config initialConfig, Path socket, GlobalSettings globals) {
    this.configFile = configFile;
    this.initialConfig = initialConfig;
    this.socket = socket;
    this.globals = globals;
  }

  @Override
  protected void configure() {
    bind(Path.class).annotatedWith(ConfigFile.class).toInstance(configFile);
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(GlobalSettings.class).toInstance(globals);
    bind(ControlHandler.class).to(DaemonControlHandler.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  EventBus events(Clock clock) {
    return new EventBus(clock);
  }

  @Provides
  @Singleton
  CertificateInventory certificates(Clock clock) {
    return new CertificateInventory(clock);
  }

  /**
   * The user-space data plane on the first configured local address: TUN {@value #TUN}, NAT-T on
   * port 4500 (shared with IKE) and raw ESP. None when no connection names a local address.
   */
  @Provides
  @Singleton
  Optional<Dataplane> dataplane() {
    return initialConfig.connections().values().stream().map(c -> c.local().ip()).flatMap(Optional::stream)
        .findFirst().map(outer -> new Dataplane(DataplaneConfig.of(TUN, new InetSocketAddress(outer, 4500))
            .withRawEsp(outer), IpCommandLinkConfigurator.create()));
  }

  /** The interfaces of route-based connections, and where each child's policy goes. */
  @Provides
  @Singleton
  RouteInterfaces routeInterfaces(Optional<Dataplane> dataplane) {
    return new RouteInterfaces(dataplane);
  }

  /** SAs go to the data plane; without one they are kept in IKE only, and the log says so. */
  @Provides
  @Singleton
  IpsecPort ipsecPort(Optional<Dataplane> dataplane, RouteInterfaces interfaces) {
    return dataplane.<IpsecPort>map(dp -> new DataplaneIpsecPort(dp, interfaces::placement))
        .orElseGet(UnattachedPort::new);
  }

  @Provides
  @Singleton
  IkeTunnelService ike(IpsecPort port, Optional<Dataplane> dataplane, EventBus events, Clock clock) {
    io.ipsecd.conf.Retransmit r = initialConfig.global().retransmit();
    return new IkeTunnelService(port, dataplane, events, clock, new Negotiator.Settings(Negotiator.Settings.DEFAULT.ikePort(),
        Negotiator.Settings.DEFAULT.natTPort(), new io.ipsecd.ike.sa.RetransmitPolicy(r.timeout(), r.factor(),
        r.maxTimeout(), r.retransmits())));
  }

  @Provides
  @Singleton
  TunnelService tunnels(IkeTunnelService ike, RouteInterfaces interfaces) {
    return new RoutedTunnelService(ike, interfaces);
  }

  @Provides
  @Singleton
  TunnelRegistry registry(TunnelService tunnels, IkeTunnelService ike, RouteInterfaces interfaces, EventBus events,
      Clock clock) {
    TunnelRegistry registry = new TunnelRegistry(initialConfig, tunnels, events, clock);
    ike.reportTo(registry);
    interfaces.reportTo((connection, message) -> registry.recordError(connection, Optional.empty(), message));
    return registry;
  }

  @Provides
  @Singleton
  ControlServer controlServer(ControlHandler handler) {
    Control control = initialConfig.global().control();
    return new ControlServer(socket, control.group(), GlobalSettings.accessPolicy(control), handler);
  }
}
