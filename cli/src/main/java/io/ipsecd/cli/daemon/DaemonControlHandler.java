package io.ipsecd.cli.daemon;

import io.ipsecd.cli.control.CallerIdentity;
import io.ipsecd.cli.control.ControlHandler;
import io.ipsecd.cli.control.ControlProtocol.ErrorCode;
import io.ipsecd.cli.control.ControlProtocol.Request;
import io.ipsecd.cli.control.ControlProtocol.Response;
import io.ipsecd.cli.tunnel.CertificateInventory;
import io.ipsecd.cli.tunnel.EventBus;
import io.ipsecd.cli.tunnel.TunnelRegistry;
import io.ipsecd.cli.tunnel.TunnelService;
import io.ipsecd.cli.tunnel.TunnelService.TunnelException;
import io.ipsecd.cli.tunnel.Views;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps control requests to the daemon: one small method per command. */
final class DaemonControlHandler implements ControlHandler {
  static final List<String> COMMANDS = List.of("status", "list-sas", "list-certs", "up", "down", "rekey", "reload",
      "stats", "monitor", "version");

  private final Provider<Daemon> daemon;
  private final TunnelRegistry registry;
  private final TunnelService tunnels;
  private final EventBus events;
  private final CertificateInventory certificates;

  @Inject
  DaemonControlHandler(Provider<Daemon> daemon, TunnelRegistry registry, TunnelService tunnels, EventBus events,
      CertificateInventory certificates) {
    this.daemon = daemon;
    this.registry = registry;
    this.tunnels = tunnels;
    this.events = events;
    this.certificates = certificates;
  }

  @Override
  public AutoCloseable handle(Request request, CallerIdentity caller, ResponseSink sink) throws IOException {
    String id = request.id();
    try {
      switch (request.command()) {
        case "status" -> sink.send(Response.result(id,
            registry.status().withCertificateWarnings(certificates.warnings(registry.config()))));
        case "list-sas" -> sink.send(Response.result(id, new Views.SaList(tunnels.sas())));
        case "list-certs" -> sink.send(Response.result(id, certificates.list(registry.config())));
        case "up" -> sink.send(Response.result(id, new Views.ActionResult(registry.up(name(request), child(request)))));
        case "down" -> sink.send(Response.result(id, new Views.ActionResult(registry.down(name(request), child(request)))));
        case "rekey" -> sink.send(Response.result(id, new Views.ActionResult(registry.rekey(name(request), child(request)))));
        case "reload" -> reload(id, caller, sink);
        case "stats" -> sink.send(Response.result(id, daemon.get().stats()));
        case "version" -> sink.send(Response.result(id, Map.of("version", Version.VERSION, "protocol", 1)));
        case "monitor" -> {
          return monitor(id, sink);
        }
        default -> sink.send(Response.error(id, ErrorCode.UNKNOWN_COMMAND,
            "unknown command '" + request.command() + "'; known: " + String.join(", ", COMMANDS), null));
      }
    } catch (TunnelRegistry.NotFound e) {
      sink.send(Response.error(id, ErrorCode.NOT_FOUND, e.getMessage(), null));
    } catch (TunnelException e) {
      sink.send(Response.error(id, ErrorCode.FAILED, e.getMessage(), null));
    } catch (BadArgument e) {
      sink.send(Response.error(id, ErrorCode.BAD_REQUEST, e.getMessage(), null));
    }
    return null;
  }

  private void reload(String id, CallerIdentity caller, ResponseSink sink) throws IOException {
    switch (daemon.get().reload("ipsecctl reload by " + caller.user())) {
      case Daemon.ReloadOutcome.Applied applied -> sink.send(Response.result(id, applied.result()));
      case Daemon.ReloadOutcome.Refused refused -> sink.send(Response.error(id, ErrorCode.CONFIG_INVALID,
          "config has " + refused.errors().size() + " error(s); the running config is unchanged", refused.errors()));
    }
  }

  private AutoCloseable monitor(String id, ResponseSink sink) throws IOException {
    sink.send(Response.event(id, new io.ipsecd.cli.tunnel.DaemonEvent(java.time.Instant.now(), "monitor-started",
        null, "streaming events; interrupt to stop")));
    return events.subscribe(event -> {
      try {
        sink.send(Response.event(id, event));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String name(Request request) throws BadArgument {
    String name = request.arg("name");
    if (name == null || name.isBlank()) {
      throw new BadArgument(request.command() + " needs args.name: a connection name, optionally NAME/CHILD");
    }
    return name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
  }

  private static Optional<String> child(Request request) {
    String name = request.arg("name");
    if (name != null && name.contains("/")) {
      return Optional.of(name.substring(name.indexOf('/') + 1));
    }
    return Optional.ofNullable(request.arg("child"));
  }

  private static final class BadArgument extends Exception {
    BadArgument(String message) {
      super(message);
    }
  }
}
