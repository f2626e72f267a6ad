package io.ipsecd.cli.daemon;

import io.ipsecd.cli.control.ControlServer;
import io.ipsecd.cli.tunnel.CertificateInventory;
import io.ipsecd.cli.tunnel.EventBus;
import io.ipsecd.cli.tunnel.TunnelRegistry;
import io.ipsecd.cli.tunnel.TunnelService;
import io.ipsecd.cli.tunnel.Views;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.ConfigDiff;
import io.ipsecd.conf.ConfigError;
import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.LoadResult;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running daemon: its config file, the registry of tunnels, the control socket and shutdown. */
@Singleton
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger("cfg");

  private final Path configFile;
  private final TunnelRegistry registry;
  private final TunnelService tunnels;
  private final EventBus events;
  private final ControlServer control;
  private final Clock clock;
  private final GlobalSettings globals;
  private final CertificateInventory certificates;
  private final Instant started;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong reloadsFailed = new AtomicLong();
  private volatile Instant lastReload;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Inject
  Daemon(@ConfigFile Path configFile, TunnelRegistry registry, TunnelService tunnels, EventBus events,
      ControlServer control, Clock clock, GlobalSettings globals, CertificateInventory certificates) {
    this.configFile = configFile;
    this.registry = registry;
    this.tunnels = tunnels;
    this.events = events;
    this.control = control;
    this.clock = clock;
    this.globals = globals;
    this.certificates = certificates;
    this.started = clock.instant();
  }

  public void start() throws IOException {
    Config config = registry.config();
    // IKE sockets first: once the control socket exists, a peer may be told to initiate to us.
    tunnels.start(config);
    control.start();
    log.info("ipsecd {} started with {} ({} connections)", Version.VERSION, configFile, config.connections().size());
    events.publish("started", null, "ipsecd " + Version.VERSION + " started with " + configFile);
    warnAboutExpiringCertificates(config);
  }

  /** Certificates expiring within 30 days (or expired) are logged at WARN on start and reload; status shows them too. */
  private void warnAboutExpiringCertificates(Config config) {
    for (Views.CertificateWarning warning : certificates.warnings(config)) {
      log.warn("{}", warning.message());
      events.publish("certificate-expiring", warning.connection(), warning.message());
    }
  }

  /** Re-reads the config file. A config with errors changes nothing; the errors go back to the caller. */
  public synchronized ReloadOutcome reload(String requestedBy) {
    LoadResult result = ConfigLoader.load(configFile);
    lastReload = clock.instant();
    return switch (result) {
      case LoadResult.Invalid invalid -> {
        reloadsFailed.incrementAndGet();
        List<String> errors = invalid.errors().stream().map(ConfigError::toString).toList();
        log.warn("reload ({}) refused: {} has {} error(s); the running config stays", requestedBy, configFile, errors.size());
        errors.forEach(e -> log.warn("  {}", e));
        events.publish("reload-failed", null, errors.size() + " error(s) in " + configFile + "; running config kept");
        yield new ReloadOutcome.Refused(errors);
      }
      case LoadResult.Valid valid -> {
        reloads.incrementAndGet();
        Config previous = registry.config();
        ConfigDiff diff = registry.apply(valid.config());
        globals.reload(previous.global(), valid.config().global()).ifPresent(control::updatePolicy);
        String summary = "reloaded " + configFile + ": " + diff.added().size() + " added, " + diff.removed().size()
            + " removed, " + diff.changed().size() + " changed, " + diff.unchanged().size() + " unchanged";
        log.info("{} (requested by {})", summary, requestedBy);
        events.publish("reloaded", null, summary);
        warnAboutExpiringCertificates(valid.config());
        yield new ReloadOutcome.Applied(new Views.ReloadResult(summary, sorted(diff.added()), sorted(diff.removed()),
            sorted(diff.changed()), sorted(diff.unchanged())));
      }
    };
  }

  public Views.Stats stats() {
    Runtime rt = Runtime.getRuntime();
    List<Views.IkeSa> sas = tunnels.sas();
    Config config = registry.config();
    return new Views.Stats(Version.VERSION, started, Duration.between(started, clock.instant()).toSeconds(),
        configFile.toString(), config.connections().size(),
        config.connections().values().stream().mapToInt(c -> c.children().size()).sum(),
        sas.size(), sas.stream().mapToInt(s -> s.children().size()).sum(),
        control.requestsServed(), control.callersRefused(), reloads.get(), reloadsFailed.get(), lastReload,
        events.published(), rt.totalMemory() - rt.freeMemory(), ManagementFactory.getThreadMXBean().getThreadCount(),
        tunnels.dataplaneStats(sas).orElse(null), events.publishedByType());
  }

  /** Orderly shutdown, once: stop taking requests, DELETE to peers, tear down, remove the socket. */
  public void shutdown(String reason) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    log.info("shutting down ({})", reason);
    events.publish("stopping", null, "shutting down (" + reason + ")");
    control.close();
    tunnels.shutdown();
    log.info("ipsecd stopped");
    stopped.countDown();
  }

  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  private static List<String> sorted(java.util.Set<String> names) {
    return names.stream().sorted().toList();
  }

  public sealed interface ReloadOutcome {
    record Applied(Views.ReloadResult result) implements ReloadOutcome {}

    record Refused(List<String> errors) implements ReloadOutcome {}
  }
}
