package io.ipsecd.cli.daemon;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ipsecd.cli.control.ControlHandler;
import io.ipsecd.cli.control.ControlServer;
import io.ipsecd.cli.tunnel.EventBus;
import io.ipsecd.cli.tunnel.IkeTunnelService;
import io.ipsecd.cli.tunnel.TunnelRegistry;
import io.ipsecd.cli.tunnel.TunnelService;
import io.ipsecd.cli.tunnel.UnattachedPort;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.Control;
import io.ipsecd.ike.exchange.Negotiator;
import io.ipsecd.ike.port.IpsecPort;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/** The composition root: the one place that decides which implementation backs each part. */
final class DaemonModule extends AbstractModule {
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
    // No data-plane adapter (an IpsecPort in io.ipsecd.cli.wiring) exists yet: SAs live in IKE only.
    bind(IpsecPort.class).to(UnattachedPort.class).in(Singleton.class);
    bind(ControlHandler.class).to(DaemonControlHandler.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  EventBus events(Clock clock) {
    return new EventBus(clock);
  }

  @Provides
  @Singleton
  IkeTunnelService ike(IpsecPort port, EventBus events, Clock clock) {
    return new IkeTunnelService(port, events, clock, Negotiator.Settings.DEFAULT);
  }

  @Provides
  @Singleton
  TunnelService tunnels(IkeTunnelService ike) {
    return ike;
  }

  @Provides
  @Singleton
  TunnelRegistry registry(IkeTunnelService tunnels, EventBus events, Clock clock) {
    TunnelRegistry registry = new TunnelRegistry(initialConfig, tunnels, events, clock);
    tunnels.reportTo(registry);
    return registry;
  }

  @Provides
  @Singleton
  ControlServer controlServer(ControlHandler handler) {
    Control control = initialConfig.global().control();
    return new ControlServer(socket, control.group(), GlobalSettings.accessPolicy(control), handler);
  }
}
