package io.ipsecd.cli.wiring;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.Route;
import io.ipsecd.conf.RouteInterface;
import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.dataplane.DataplaneException;
import io.ipsecd.dataplane.InterfaceSpec;
import io.ipsecd.dataplane.link.IpPrefix;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data plane's route-based interfaces in step with the config: one per connection with a
 * route-based child, created at start or by the reload that adds the connection, re-created when
 * its name, routes or MTU change, removed with the connection. Also says where each child's policy
 * goes ({@link #placement}), which IKE does not know: IKE names a policy {@code connection/child}.
 */
public final class RouteInterfaces {
  private static final Logger log = LoggerFactory.getLogger("net");

  private record Installed(InterfaceSpec spec, int id) {}

  private final Optional<Dataplane> dataplane;
  private final Map<String, Installed> byConnection = new HashMap<>();
  private volatile Map<String, PolicyPlacement> placements = Map.of();
  private volatile Map<String, String> interfaceNames = Map.of();
  private volatile BiConsumer<String, String> errors = (connection, message) -> log.warn("{}: {}", connection, message);

  public RouteInterfaces(Optional<Dataplane> dataplane) {
    this.dataplane = dataplane;
  }

  /** Where failures to create an interface go (connection, message), e.g. the connection's last error. */
  public void reportTo(BiConsumer<String, String> errors) {
    this.errors = errors;
  }

  /** Brings the interfaces in line with {@code config}; call before IKE installs the config's policies. */
  public synchronized void apply(Config config) {
    if (dataplane.isEmpty()) {
      return;
    }
    Dataplane dp = dataplane.get();
    for (var it = byConnection.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Connection now = config.connections().get(e.getKey());
      Optional<InterfaceSpec> wanted = now == null ? Optional.empty() : now.routeInterface().map(RouteInterfaces::spec);
      if (wanted.isEmpty() || !wanted.get().equals(e.getValue().spec())) {
        dp.removeInterface(e.getValue().id());
        log.info("{}: interface {} removed ({})", e.getKey(), e.getValue().spec().name(),
            now == null ? "connection removed" : "interface settings changed");
        it.remove();
      }
    }
    Map<String, PolicyPlacement> places = new HashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (Connection c : config.connections().values()) {
      int id = PolicyPlacement.NO_INTERFACE;
      if (c.routeInterface().isPresent()) {
        Installed installed = byConnection.get(c.name());
        if (installed == null) {
          installed = add(dp, c);
        }
        if (installed != null) {
          id = installed.id();
          names.put(c.name(), installed.spec().name());
        }
      }
      for (Child child : c.children().values()) {
        places.put(c.name() + "/" + child.name(), new PolicyPlacement(
            child.routeBased() ? id : PolicyPlacement.MAIN.interfaceId(), child.mssClamp().orElse(0)));
      }
    }
    placements = Map.copyOf(places);
    interfaceNames = Map.copyOf(names);
  }

  private Installed add(Dataplane dp, Connection c) {
    InterfaceSpec spec = spec(c.routeInterface().orElseThrow());
    try {
      Installed installed = new Installed(spec, dp.addInterface(spec));
      byConnection.put(c.name(), installed);
      return installed;
    } catch (DataplaneException e) {
      errors.accept(c.name(), "cannot create interface " + spec.name() + " for its route-based child: " + e.getMessage()
          + "; its traffic is dropped until a reload creates it (is the name taken? check 'ip link show "
          + spec.name() + "')");
      return null;
    }
  }

  /** After the data plane started: reports interfaces it could not create (their reason is in its log). */
  public synchronized void reportMissing() {
    if (dataplane.isEmpty() || !dataplane.get().isRunning()) {
      return;
    }
    byConnection.forEach((connection, installed) -> {
      if (dataplane.get().interfaceName(installed.id()).isEmpty()) {
        errors.accept(connection, "interface " + installed.spec().name() + " of its route-based child could not be "
            + "created at start (the data plane's log says why); its traffic is dropped until a reload re-creates it");
      }
    });
  }

  /** Where the policy IKE names {@code connection/child} goes; the main interface for names not configured. */
  public PolicyPlacement placement(String policyName) {
    return placements.getOrDefault(policyName, PolicyPlacement.MAIN);
  }

  /** The interface of a route-based connection, when it exists. */
  public Optional<String> interfaceName(String connection) {
    return Optional.ofNullable(interfaceNames.get(connection));
  }

  static InterfaceSpec spec(RouteInterface i) {
    return new InterfaceSpec(i.name(), i.mtu().orElse(0), i.routes().stream().map(RouteInterfaces::prefix).toList());
  }

  private static IpPrefix prefix(Route r) {
    return IpPrefix.of(r.network(), r.prefixLength());
  }
}
