package io.ipsecd.cli.tunnel;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.ConfigDiff;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.StartAction;
import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaStats;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.exchange.IkeSaInfo;
import io.ipsecd.ike.exchange.Negotiator;
import io.ipsecd.ike.exchange.NegotiatorListener;
import io.ipsecd.ike.port.IpsecPort;
import io.ipsecd.ike.port.PortListener;
import io.ipsecd.ike.port.SaId;
import io.ipsecd.ike.sa.ThreadEventLoop;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IKEv2 negotiator as the daemon's {@link TunnelService}: opens the IKE sockets of every
 * configured local address, initiates on {@code up} and for {@code start: start} children,
 * answers peers, turns failures into the connection's last error, and lists live SAs. IKE state
 * lives on one event loop; control threads hand work to it and wait briefly for answers.
 */
public final class IkeTunnelService implements TunnelService, NegotiatorListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("ike");
  private static final long ANSWER_SECONDS = 3;

  private final IpsecPort port;
  private final EventBus events;
  private final ThreadEventLoop loop;
  private final Negotiator negotiator;
  private final IkeSockets sockets;
  /** Unknown-SPI ESP can come at line rate: at most one hand-off per peer address and second. */
  private final PerAddressLimit unknownSpiLimit = new PerAddressLimit(1_000_000_000L);
  private final Optional<Dataplane> dataplane;
  private final Clock clock;
  private volatile TunnelRegistry registry;
  /** The config applied last, so that a reload can tell which children it changed. */
  private Config applied;
  /** How long a changed child's old SA may take to go before its successor gives up. */
  private static final Duration RECREATE_WITHIN = Duration.ofSeconds(30);

  /**
   * @param dataplane the data plane behind {@code port}, if any: started with the daemon, it owns
   *     UDP 4500 on its outer address and IKE sends and receives its NAT-T share through it
   */
  public IkeTunnelService(IpsecPort port, Optional<Dataplane> dataplane, EventBus events, Clock clock,
      Negotiator.Settings settings) {
    this.port = port;
    this.dataplane = dataplane;
    this.clock = clock;
    this.events = events;
    this.loop = new ThreadEventLoop("ike", clock);
    this.negotiator = new Negotiator(loop, port, RandomSource.system(), settings, this);
    this.sockets = new IkeSockets(settings.ikePort(), settings.natTPort(),
        (at, from, data) -> loop.execute(() -> negotiator.receive(at, from, data)));
    negotiator.attach(sockets);
    port.listen(new PortListener() {
      @Override
      public void acquire(int reqid, io.ipsecd.esp.TrafficSelector source, io.ipsecd.esp.TrafficSelector destination) {
        loop.execute(() -> negotiator.acquire(reqid));
      }

      @Override
      public void expired(SaId id, boolean hard) {
        loop.execute(() -> negotiator.expired(id, hard));
      }

      @Override
      public void unknownSpi(int spi, java.net.InetSocketAddress from) {
        if (unknownSpiLimit.allow(from.getAddress(), System.nanoTime())) {
          log.debug("ESP for unknown SPI {} from {}", String.format("%08x", spi), from);
          loop.execute(() -> negotiator.unknownSpi(spi, from));
        }
      }
    });
  }

  /** Where failures are recorded; set once the registry exists (it needs this service first). */
  public void reportTo(TunnelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void start(Config config) {
    dataplane.ifPresent(this::startDataplane);
    reconfigure(config);
    CryptoSelfTest.startInBackground();
  }

  /**
   * Starts the data plane when its outer address is on this host. A data plane that cannot start
   * (no such address, no TUN, not root) leaves IKE working on its own sockets, and says so.
   */
  private void startDataplane(Dataplane dp) {
    InetAddress outer = dp.config().udpBind().getAddress();
    try {
      if (NetworkInterface.getByInetAddress(outer) == null) {
        log.warn("data plane not started: {} is not an address of this host; SAs are negotiated but carry no "
            + "traffic", outer.getHostAddress());
        return;
      }
      dp.onIke((message, from, local) -> loop.execute(() -> negotiator.receive(local, from, message)));
      dp.start();
      sockets.share(outer, new IkeSockets.NatTSender() {
        @Override
        public void send(byte[] message, java.net.InetSocketAddress peer) throws java.io.IOException {
          dp.udpSocket().orElseThrow(IkeTunnelService::stopped).sendIke(message, 0, message.length, peer);
        }

        @Override
        public void keepalive(java.net.InetSocketAddress peer) throws java.io.IOException {
          dp.udpSocket().orElseThrow(IkeTunnelService::stopped).sendKeepalive(peer);
        }
      });
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("data plane not started: {}; SAs are negotiated but carry no traffic", e.getMessage());
    }
  }

  /** Opens sockets for new local addresses, lets the negotiator answer for the new set, starts {@code start} children. */
  @Override
  public void reconfigure(Config config) {
    for (Connection c : config.connections().values()) {
      c.local().ip().ifPresent(sockets::ensure);
    }
    List<Connection> connections = List.copyOf(config.connections().values());
    Config previous = applied;
    applied = config;
    loop.execute(() -> {
      Set<String> upBefore = installedChildren();
      negotiator.connections(connections);
      if (previous != null) {
        recreateChangedChildren(previous, config, upBefore);
      }
      boolean anyUp = !negotiator.snapshot().isEmpty();
      for (Connection c : connections) {
        List<String> start = c.children().values().stream().filter(ch -> ch.start() == StartAction.START)
            .map(Child::name).toList();
        boolean upAlready = anyUp && negotiator.snapshot().stream().anyMatch(s -> s.name().equals(c.name()));
        if (start.isEmpty() || upAlready || c.remote().ip().isEmpty()) {
          continue;
        }
        Optional<String> problem = sockets.problem(c.local().ip().get());
        if (problem.isPresent()) {
          failed(c.name(), Optional.empty(), "cannot start " + c.name() + " with " + c.remote().address() + ": "
              + problem.get());
        } else {
          negotiator.initiate(c, start);
        }
      }
    });
  }

  /**
   * A reload that changed only some children of a connection ({@link ConfigDiff#changedChildren})
   * re-creates just those: each one that was up is deleted and, once its old SA is gone, brought up
   * again with its new settings, as is a new or changed {@code start: start} child. The IKE SA and
   * the other children keep their SAs and traffic.
   */
  private void recreateChangedChildren(Config previous, Config next, Set<String> upBefore) {
    for (Connection now : next.connections().values()) {
      Connection before = previous.connections().get(now.name());
      if (before == null || before.equals(now)) {
        continue;
      }
      for (String child : ConfigDiff.changedChildren(before, now).orElse(Set.of())) {
        boolean wasUp = upBefore.contains(now.name() + "/" + child);
        if (wasUp) {
          negotiator.terminate(now.name(), Optional.of(child));
        }
        Child cfg = now.children().get(child);
        if (cfg != null && now.remote().ip().isPresent() && (wasUp || cfg.start() == StartAction.START)) {
          initiateOnceGone(now, child, loop.now().plus(RECREATE_WITHIN));
        }
      }
    }
  }

  private void initiateOnceGone(Connection c, String child, Instant giveUp) {
    boolean gone = negotiator.snapshot().stream().filter(s -> s.name().equals(c.name()))
        .flatMap(s -> s.children().stream()).noneMatch(ch -> ch.name().equals(child));
    if (gone) {
      log.info("{}/{}: changed by reload: bringing it up with its new settings", c.name(), child);
      negotiator.initiate(c, List.of(child));
    } else if (loop.now().isAfter(giveUp)) {
      failed(c.name(), Optional.of(child), "changed by reload but not re-created: its old SA was not deleted within "
          + RECREATE_WITHIN.toSeconds() + " s; check that " + c.remote().address() + " answers, then ipsecctl up "
          + c.name() + "/" + child);
    } else {
      loop.schedule(Duration.ofMillis(50), () -> initiateOnceGone(c, child, giveUp));
    }
  }

  /** "connection/child" of every installed Child SA. */
  private Set<String> installedChildren() {
    Set<String> up = new java.util.HashSet<>();
    for (IkeSaInfo sa : negotiator.snapshot()) {
      sa.children().forEach(c -> up.add(sa.name() + "/" + c.name()));
    }
    return up;
  }

  private static java.io.IOException stopped() {
    return new java.io.IOException("the data plane stopped");
  }

  @Override
  public void initiate(Connection connection, Optional<String> child) throws TunnelException {
    String target = connection.name() + child.map(c -> "/" + c).orElse("");
    if (connection.remote().ip().isEmpty()) {
      throw new TunnelException("cannot bring up " + target + ": remote.address is %any, so it only responds; "
          + "initiate from the peer");
    }
    Optional<String> problem = sockets.problem(connection.local().ip().orElseThrow());
    if (problem.isPresent()) {
      throw new TunnelException("cannot bring up " + target + " with " + connection.remote().address() + ": "
          + problem.get());
    }
    if (connection.psk().isEmpty() && (connection.local().auth() == io.ipsecd.conf.AuthMethod.PSK
        || connection.remote().auth() == io.ipsecd.conf.AuthMethod.PSK)) {
      throw new TunnelException("cannot bring up " + target + ": no PSK configured");
    }
    loop.execute(() -> negotiator.initiate(connection, child.map(List::of).orElse(List.of())));
  }

  @Override
  public void terminate(Connection connection, Optional<String> child) throws TunnelException {
    String target = connection.name() + child.map(c -> "/" + c).orElse("");
    if (!call(n -> n.terminate(connection.name(), child))) {
      throw new TunnelException(target + " is not up: nothing to bring down");
    }
  }

  @Override
  public void rekey(Connection connection, Optional<String> child) throws TunnelException {
    String target = connection.name() + child.map(c -> "/" + c).orElse("");
    if (!call(n -> n.rekey(connection.name(), child))) {
      throw new TunnelException("cannot rekey " + target + ": it is not up");
    }
  }

  @Override
  public void remove(String connection) {
    loop.execute(() -> negotiator.remove(connection));
  }

  @Override
  public List<Views.IkeSa> sas() {
    try {
      return call(Negotiator::snapshot).stream().map(this::view).toList();
    } catch (TunnelException e) {
      log.warn("list-sas: {}", e.getMessage());
      return List.of();
    }
  }

  @Override
  public void shutdown() {
    try {
      call(n -> {
        n.shutdown();
        return null;
      });
    } catch (TunnelException e) {
      log.warn("shutdown: {}", e.getMessage());
    }
    close();
  }

  @Override
  public void close() {
    sockets.close();
    // Zeroes every SA's keys and removes the TUN (and its routes) with it.
    dataplane.ifPresent(Dataplane::close);
    try {
      loop.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T call(Function<Negotiator, T> action) throws TunnelException {
    CompletableFuture<T> answer = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        answer.complete(action.apply(negotiator));
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    });
    try {
      return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new TunnelException("the IKE engine did not answer within " + ANSWER_SECONDS + " s");
    } catch (ExecutionException e) {
      throw new TunnelException("the IKE engine failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TunnelException("interrupted");
    }
  }

  // ---- NegotiatorListener (on the IKE loop) --------------------------------------------------

  @Override
  public void failed(String connection, Optional<String> child, String message) {
    TunnelRegistry r = registry;
    if (r != null) {
      r.recordError(connection, child, message);
    } else {
      log.warn("{}{}: {}", connection, child.map(c -> "/" + c).orElse(""), message);
    }
  }

  @Override
  public void event(String type, String connection, String message) {
    events.publish(type, connection, message);
  }

  // ---- views ---------------------------------------------------------------------------------

  private Views.IkeSa view(IkeSaInfo s) {
    List<Views.ChildSa> children = s.children().stream().map(this::view).toList();
    return new Views.IkeSa(s.name(), s.uniqueId(), s.state(), 2, s.initiator(), String.format("%016x", s.spiInitiator()),
        String.format("%016x", s.spiResponder()), s.localId(), s.localHost(), s.local().getPort(), s.remoteId(),
        s.remoteHost(), s.remote().getPort(), s.encryption(),
        s.integrity(), s.prf(), s.keyExchange(), s.established(), secondsUntil(s.rekeyAt()), children, s.rekeys(),
        s.authentication(), s.fragmentation());
  }

  private Long secondsUntil(java.time.Instant at) {
    return at == null ? null : Math.max(0, java.time.Duration.between(clock.instant(), at).toSeconds());
  }

  private Views.ChildSa view(IkeSaInfo.ChildSaInfo c) {
    Optional<SaStats> in = port.usage(new SaId(c.spiIn(), SaDirection.INBOUND));
    Optional<SaStats> out = port.usage(new SaId(c.spiOut(), SaDirection.OUTBOUND));
    long now = System.nanoTime(); // SaStats.lastPacketNanos is on the nanoTime scale
    return new Views.ChildSa(c.name(), c.uniqueId(), c.state(), "TUNNEL", "ESP", c.udpEncapsulation(), c.encryption(),
        c.integrity(), c.keyExchange(), c.esn(), String.format("%08x", c.spiIn()), in.map(SaStats::bytes).orElse(0L),
        in.map(SaStats::packets).orElse(0L), DataplaneCounters.secondsSinceLastPacket(in, now),
        in.map(SaStats::replayDrops).orElse(0L), in.map(SaStats::authFailures).orElse(0L),
        in.map(SaStats::badPadding).orElse(0L), in.map(SaStats::malformed).orElse(0L),
        String.format("%08x", c.spiOut()), out.map(SaStats::bytes).orElse(0L), out.map(SaStats::packets).orElse(0L),
        DataplaneCounters.secondsSinceLastPacket(out, now), out.map(SaStats::refused).orElse(0L), c.installed(),
        secondsUntil(c.rekeyAt()), secondsUntil(c.expiresAt()), c.localTs(), c.remoteTs(), c.rekeys());
  }

  @Override
  public Optional<Views.DataplaneStats> dataplaneStats(List<Views.IkeSa> sas) {
    return dataplane.map(dp -> DataplaneCounters.totals(dp.isRunning(), dp.tunName().orElse(null), sas, dp.drops()));
  }
}
