package io.ipsecd.cli.tunnel;

import io.ipsecd.cli.tunnel.TunnelService.TunnelException;
import io.ipsecd.cli.tunnel.Views.ChildStatus;
import io.ipsecd.cli.tunnel.Views.ConnectionStatus;
import io.ipsecd.cli.tunnel.Views.LastError;
import io.ipsecd.conf.Child;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.ConfigDiff;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.RouteInterface;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured connections and what has happened to them: the running config, the last error of
 * each connection and child, and the actions that go through the {@link TunnelService}.
 */
public final class TunnelRegistry {
  private static final Logger log = LoggerFactory.getLogger("cfg");

  private final TunnelService tunnels;
  private final EventBus events;
  private final Clock clock;
  private volatile Config config;
  /** Keyed "conn" or "conn/child"; a reload keeps the entries of unchanged connections. */
  private final Map<String, LastError> lastErrors = new ConcurrentHashMap<>();

  public TunnelRegistry(Config initial, TunnelService tunnels, EventBus events, Clock clock) {
    this.config = initial;
    this.tunnels = tunnels;
    this.events = events;
    this.clock = clock;
  }

  public Config config() {
    return config;
  }

  /** Switches to a validated config, touching only what changed. */
  public synchronized ConfigDiff apply(Config next) {
    ConfigDiff diff = ConfigDiff.between(config, next);
    for (String name : diff.removed()) {
      tunnels.remove(name);
      forgetErrors(name);
      events.publish("connection-removed", name, "removed by reload");
    }
    for (String name : diff.changed()) {
      Optional<Set<String>> children = ConfigDiff.changedChildren(config.connections().get(name),
          next.connections().get(name));
      if (children.isPresent()) { // the tunnel service re-creates only these children
        children.get().forEach(child -> lastErrors.remove(name + "/" + child));
        events.publish("connection-changed", name, "changed by reload: re-creating only " + String.join(", ",
            children.get()));
        continue;
      }
      tunnels.remove(name);
      forgetErrors(name);
      events.publish("connection-changed", name, "changed by reload: re-created");
    }
    for (String name : diff.added()) {
      events.publish("connection-added", name, "added by reload");
    }
    config = next;
    tunnels.reconfigure(next);
    return diff;
  }

  public String up(String name, Optional<String> child) throws TunnelException {
    Connection connection = find(name, child);
    try {
      tunnels.initiate(connection, child);
    } catch (TunnelException e) {
      recordError(name, child, e.getMessage());
      throw e;
    }
    events.publish("up-requested", name, "initiating " + label(name, child));
    return "initiating " + label(name, child);
  }

  public String down(String name, Optional<String> child) throws TunnelException {
    Connection connection = find(name, child);
    tunnels.terminate(connection, child);
    events.publish("down-requested", name, "terminating " + label(name, child));
    return "terminating " + label(name, child);
  }

  public String rekey(String name, Optional<String> child) throws TunnelException {
    Connection connection = find(name, child);
    try {
      tunnels.rekey(connection, child);
    } catch (TunnelException e) {
      recordError(name, child, e.getMessage());
      throw e;
    }
    events.publish("rekey-requested", name, "rekeying " + label(name, child));
    return "rekeying " + label(name, child);
  }

  /** Every failed negotiation lands here once: logged at WARN, shown in status, sent to monitors. */
  public void recordError(String connection, Optional<String> child, String message) {
    lastErrors.put(label(connection, child), new LastError(message, clock.instant()));
    log.warn("{}: {}", label(connection, child), message);
    events.publish("error", connection, message);
  }

  public Views.StatusReport status() {
    Set<String> upIke = new TreeSet<>();
    Set<String> upChildren = new TreeSet<>();
    Map<String, List<Views.SaLifecycle>> lives = new HashMap<>(); // by connection, and by connection/child
    for (Views.IkeSa sa : tunnels.sas()) {
      lives.computeIfAbsent(sa.name(), k -> new ArrayList<>())
          .add(new Views.SaLifecycle(sa.uniqueId(), sa.state(), sa.rekeys(), sa.rekeyInSeconds(),
              sa.keyExchange() == null || sa.keyExchange().isEmpty() ? null : sa.keyExchange()));
      for (Views.ChildSa c : sa.children()) {
        lives.computeIfAbsent(sa.name() + "/" + c.name(), k -> new ArrayList<>())
            .add(new Views.SaLifecycle(c.uniqueId(), c.state(), c.rekeys(), c.rekeyInSeconds()));
      }
      if ("ESTABLISHED".equals(sa.state())) {
        upIke.add(sa.name());
        sa.children().stream().filter(c -> "INSTALLED".equals(c.state()))
            .forEach(c -> upChildren.add(sa.name() + "/" + c.name()));
      }
    }
    List<ConnectionStatus> rows = new ArrayList<>();
    int children = 0;
    for (Connection c : config.connections().values()) {
      List<ChildStatus> childRows = new ArrayList<>();
      for (Child child : c.children().values()) {
        String key = c.name() + "/" + child.name();
        childRows.add(new ChildStatus(child.name(), upChildren.contains(key) ? "installed" : "down",
            child.start().name().toLowerCase(), strings(child.localTs()), strings(child.remoteTs()),
            strings(child.espProposals()), lastErrors.get(key), child.routeBased()
                ? c.routeInterface().map(RouteInterface::name).orElse(null) : RouteInterface.POLICY_BASED_INTERFACE,
            lives.getOrDefault(key, List.of())));
      }
      children += childRows.size();
      rows.add(new ConnectionStatus(c.name(), upIke.contains(c.name()) ? "established" : "down",
          hostPort(c.local().address(), c.local().port()), c.local().id().value(),
          hostPort(c.remote().address(), c.remote().port()), c.remote().id().value(),
          strings(c.ike().proposals()), childRows, lastErrors.get(c.name()), lives.getOrDefault(c.name(), List.of())));
    }
    return new Views.StatusReport(rows, new Views.Summary(rows.size(), upIke.size(), children, upChildren.size()));
  }

  private Connection find(String name, Optional<String> child) throws TunnelException {
    Connection connection = config.connections().get(name);
    if (connection == null) {
      throw new NotFound("no connection named '" + name + "'; configured: "
          + String.join(", ", config.connections().keySet()));
    }
    if (child.isPresent() && !connection.children().containsKey(child.get())) {
      throw new NotFound("connection " + name + " has no child named '" + child.get() + "'; its children: "
          + String.join(", ", connection.children().keySet()));
    }
    return connection;
  }

  private void forgetErrors(String connection) {
    lastErrors.keySet().removeIf(k -> k.equals(connection) || k.startsWith(connection + "/"));
  }

  private static String label(String connection, Optional<String> child) {
    return connection + child.map(c -> "/" + c).orElse("");
  }

  private static String hostPort(String address, int port) {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }

  private static List<String> strings(List<?> values) {
    return values.stream().map(Objects::toString).toList();
  }

  /** Asked for a connection or child that the config doesn't have. */
  public static final class NotFound extends TunnelException {
    public NotFound(String message) {
      super(message);
    }
  }
}
