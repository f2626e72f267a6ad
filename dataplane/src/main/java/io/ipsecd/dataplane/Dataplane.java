package io.ipsecd.dataplane;

import io.ipsecd.dataplane.link.IpPrefix;
import io.ipsecd.dataplane.link.LinkConfigurator;
import io.ipsecd.dataplane.net.IkeDatagramHandler;
import io.ipsecd.dataplane.net.RawEspSocket;
import io.ipsecd.dataplane.net.UdpGsoReceiver;
import io.ipsecd.dataplane.net.UdpGsoSocket;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.dataplane.tun.LinuxTunDevice;
import io.ipsecd.dataplane.tun.TunDevice;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.OutboundSa;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import io.ipsecd.esp.SaStats;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-space ESP data plane: one NAT-T socket (and raw ESP socket), one SAD, and TUN
 * interfaces: the main one ({@link DataplaneConfig#tunName()}), which carries every policy-based
 * child and gets routes for their remote selectors, and one per route-based connection
 * ({@link #addInterface}), which gets its configured routes. Its own SA/policy API (the control
 * plane's adapter maps IKE's port onto it), its threads, and its events.
 *
 * <p><b>Threads:</b> one outbound worker per interface (TUN read, SPD lookup among that interface's
 * policies, encrypt, send) and one inbound worker per transport (UDP 4500 receive, SAD, decrypt,
 * write into the TUN of the SA's policy's interface; the same for raw ESP when enabled). One thread
 * per direction uses both cores and keeps every SA's sequence numbers and replay window
 * single-writer, and per-flow order intact. Control calls ({@link #addSa}, ...) come from any
 * thread and are serialised; they publish immutable table snapshots the workers read lock-free.
 *
 * <p><b>Fail closed:</b> a TUN packet that matches no policy of its interface, or a policy with no
 * usable SA, is dropped and counted ({@link #drops()}); a TUN has no path to the outside except
 * through an SA.
 *
 * <p>SAs, policies and interfaces may be added before {@link #start}; raw-ESP SAs need a started data plane.
 */
public final class Dataplane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dataplane.class);
  /** Room before every packet for the ESP header and IV, so encryption works in place. */
  static final int HEADROOM = 64;
  /** Room after a packet for ESP padding, trailer and ICV. */
  private static final int TAILROOM = 128;
  private static final long JOIN_MILLIS = 3000;
  /**
   * Packets the kernel holds for the outbound worker. The default 500 overflowed in TCP bursts
   * (thousands of retransmits per bench run); 4000 lost nothing but can queue ~100 ms.
   */
  private static final int TUN_QUEUE_PACKETS = Integer.getInteger("ipsecd.tunQueue", 1000);

  private final DataplaneConfig config;
  private final LinkConfigurator link;
  private final SecurityDatabase db = new SecurityDatabase();
  private final EventDispatcher events = new EventDispatcher();
  private final List<DropCounters> counters = new CopyOnWriteArrayList<>();
  private final SelectorRoutes routes;
  /** Interfaces of route-based connections by id, in the order added; they run while the data plane does. */
  private final Map<Integer, InterfaceSpec> interfaces = new LinkedHashMap<>();
  private int nextInterfaceId = Policy.MAIN_INTERFACE + 1;
  /** The NAT-T socket's send side takes one thread at a time; every interface's worker sends through it. */
  private final ReentrantLock udpSendLock = new ReentrantLock();
  private volatile IkeDatagramHandler ike = (message, from, local) -> {};
  private Running running;

  /** {@code links} holds every running interface by id, the main one included; {@code threads} the receivers. */
  private record Running(TunDevice tun, UdpGsoSocket udp, RawEspSocket raw, Map<Integer, TunLink> links,
                         List<Thread> threads, List<Quiescence> quiescences) {}

  public Dataplane(DataplaneConfig config, LinkConfigurator link) {
    this.config = config;
    this.link = link;
    this.routes = new SelectorRoutes(link, config.manageRoutes());
  }

  public DataplaneConfig config() {
    return config;
  }

  /**
   * Creates the TUN interface {@link DataplaneConfig#tunName()} and starts. The TUN gets TCP
   * segmentation offload when the kernel allows (one read per 64 KiB of a TCP stream instead of
   * one per packet), else it is a plain one.
   */
  public synchronized void start() throws IOException {
    start(openTun(config.tunName()));
  }

  /**
   * Starts on an open TUN queue (this data plane closes it on stop): sets its MTU and addresses,
   * brings it up, binds the sockets, starts the workers, creates the route-based interfaces and
   * routes the installed policies.
   */
  public synchronized void start(TunDevice tun) throws IOException {
    if (running != null) {
      tun.close();
      throw new IllegalStateException("data plane already started on " + running.tun.name());
    }
    UdpGsoSocket udp = null;
    RawEspSocket raw = null;
    try {
      int mtu = config.tunnelMtu();
      for (DataplaneConfig.TunAddress a : config.tunAddresses()) {
        link.addAddress(tun.name(), a.address(), a.prefixLength());
      }
      udp = UdpGsoSocket.bind(config.udpBind());
      raw = config.rawEspBind().isPresent() ? RawEspSocket.open(config.rawEspBind().get()) : null;
      List<Thread> threads = new ArrayList<>();
      List<Quiescence> quiescences = new ArrayList<>();
      Map<Integer, TunLink> links = new LinkedHashMap<>();
      running = new Running(tun, udp, raw, links, threads, quiescences);
      links.put(Policy.MAIN_INTERFACE, startLink(Policy.MAIN_INTERFACE, tun, mtu, true));

      InboundPath udpPath = new InboundPath(true, db, events, newCounters());
      register(udpPath, quiescences);
      UdpGsoReceiver receiver = new UdpGsoReceiver(udp, udpPath, (m, from, local) -> ike.onIke(m, from, local));
      threads.add(Thread.ofPlatform().name("dataplane-inbound-udp").daemon().unstarted(receiver));
      if (raw != null) {
        InboundPath rawPath = new InboundPath(false, db, events, newCounters());
        register(rawPath, quiescences);
        threads.add(Thread.ofPlatform().name("dataplane-inbound-raw").daemon()
            .unstarted(new RawReceiveLoop(raw, rawPath, slotSize(Math.max(mtu, maxInterfaceMtu())))));
      }
      for (var e : interfaces.entrySet()) {
        try {
          links.put(e.getKey(), openLink(e.getKey(), e.getValue()));
        } catch (IOException | RuntimeException failed) {
          log.warn("interface {} not created: {}; traffic routed to it has nowhere to go until a reload re-creates it",
              e.getValue().name(), failed.getMessage());
        }
      }
      publishWriters();
      threads.forEach(Thread::start);
      for (var entry : db.current().policies().entries()) {
        routes.add(tun.name(), entry.policy());
      }
      log.info("data plane up on {} (tunnel MTU {}, NAT-T {}{}{})", tun.name(), mtu, udp.localAddress(),
          raw == null ? "" : ", raw ESP " + raw.localAddress().getHostAddress(),
          links.size() > 1 ? ", route-based interfaces " + links.values().stream().skip(1).map(TunLink::name).toList() : "");
    } catch (IOException | RuntimeException e) {
      if (running == null) {
        closeQuietly(tun, udp, raw);
      } else {
        stop();
      }
      throw e;
    }
  }

  private static int slotSize(int mtu) {
    return HEADROOM + Math.max(mtu, 1500) + TAILROOM;
  }

  private int maxInterfaceMtu() {
    return interfaces.values().stream().mapToInt(InterfaceSpec::mtu).max().orElse(0);
  }

  /** Configures an open TUN (MTU, queue, state), then starts its outbound worker. */
  private TunLink startLink(int id, TunDevice tun, int mtu, boolean ipv6LinkLocal) throws IOException {
    link.setMtu(tun.name(), mtu);
    link.setTxQueueLength(tun.name(), TUN_QUEUE_PACKETS);
    if (!ipv6LinkLocal) {
      link.disableIpv6LinkLocal(tun.name());
    }
    link.setUp(tun.name());
    TunWriter writer = new TunWriter(tun);
    OutboundWorker outbound = new OutboundWorker(tun, id, slotSize(mtu), db, running.udp, udpSendLock, running.raw,
        writer, events, newCounters());
    Thread thread = Thread.ofPlatform().name(id == Policy.MAIN_INTERFACE ? "dataplane-outbound"
        : "dataplane-outbound-" + tun.name()).daemon().start(outbound);
    return new TunLink(id, tun, writer, outbound, thread);
  }

  /**
   * Creates a route-based connection's TUN and starts it, then routes its networks into it. It gets
   * no IPv6 link-local address: the kernel would otherwise send its own router solicitations and
   * MLD reports into the tunnel.
   */
  private TunLink openLink(int id, InterfaceSpec spec) throws IOException {
    TunDevice tun = openTun(spec.name());
    TunLink started;
    try {
      started = startLink(id, tun, spec.mtu() == 0 ? config.tunnelMtu() : spec.mtu(), false);
    } catch (IOException | RuntimeException e) {
      tun.close();
      throw e;
    }
    try {
      for (IpPrefix route : spec.routes()) {
        link.addRoute(tun.name(), route);
      }
    } catch (IOException | RuntimeException e) {
      started.stop();
      started.join(JOIN_MILLIS);
      throw e;
    }
    return started;
  }

  private static TunDevice openTun(String name) throws IOException {
    try {
      return LinuxTunDevice.openWithOffload(name);
    } catch (io.ipsecd.dataplane.posix.PosixException e) {
      log.info("TUN offloads unavailable on {} ({}); reading one packet at a time", name, e.getMessage());
      return LinuxTunDevice.open(name);
    }
  }

  private void publishWriters() {
    io.ipsecd.dataplane.spd.IntMap<TunWriter> writers = io.ipsecd.dataplane.spd.IntMap.empty();
    if (running != null) {
      for (TunLink l : running.links.values()) {
        writers = writers.with(l.id(), l.writer());
      }
    }
    db.writers(writers);
  }

  /**
   * Adds the interface of a route-based connection; while running it is created at once, else at
   * {@link #start}. Policies name the returned id ({@link Policy#interfaceId()}).
   *
   * @throws DataplaneException when the name is taken, or (running) the TUN or its routes cannot be set up
   */
  public synchronized int addInterface(InterfaceSpec spec) throws DataplaneException {
    if (spec.name().equals(config.tunName()) || interfaces.values().stream().anyMatch(i -> i.name().equals(spec.name()))) {
      throw new DataplaneException("interface " + spec.name() + " exists already in this data plane");
    }
    int id = nextInterfaceId++;
    if (running != null) {
      try {
        running.links.put(id, openLink(id, spec));
      } catch (IOException | RuntimeException e) {
        throw new DataplaneException("cannot create interface " + spec.name() + ": " + e.getMessage());
      }
      publishWriters();
      log.info("interface {} up (routes {})", spec.name(), spec.routes());
    }
    interfaces.put(id, spec);
    return id;
  }

  /** Removes a route-based interface with its TUN and routes; false if there was none with this id. */
  public synchronized boolean removeInterface(int id) {
    InterfaceSpec spec = interfaces.remove(id);
    if (spec == null) {
      return false;
    }
    TunLink l = running == null ? null : running.links.remove(id);
    if (l != null) {
      publishWriters();
      l.stop();
      if (!l.join(JOIN_MILLIS)) {
        log.warn("{} did not stop within {} ms", l.thread().getName(), JOIN_MILLIS);
      }
      log.info("interface {} removed", spec.name());
    }
    return true;
  }

  /** The name of a running interface ({@link Policy#MAIN_INTERFACE} is the main TUN). */
  public synchronized Optional<String> interfaceName(int id) {
    return running == null ? Optional.empty() : Optional.ofNullable(running.links.get(id)).map(TunLink::name);
  }

  private void register(InboundPath path, List<Quiescence> quiescences) {
    db.register(path.quiescence());
    quiescences.add(path.quiescence());
  }

  private DropCounters newCounters() {
    DropCounters c = new DropCounters();
    counters.add(c);
    return c;
  }

  /** Stops the workers, closes the TUN (its routes go with it) and the sockets. SAs stay installed. */
  public synchronized void stop() {
    Running r = running;
    if (r == null) {
      return;
    }
    running = null;
    publishWriters();
    r.links.values().forEach(TunLink::stop);
    closeQuietly(r.tun, r.udp, r.raw);
    for (TunLink l : r.links.values()) {
      if (!l.join(JOIN_MILLIS)) {
        log.warn("{} did not stop within {} ms", l.thread().getName(), JOIN_MILLIS);
      }
    }
    for (Thread t : r.threads) {
      try {
        t.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("{} did not stop within {} ms", t.getName(), JOIN_MILLIS);
      }
    }
    r.quiescences.forEach(db::unregister);
    routes.forget(); // the kernel removed them with the interfaces
  }

  /** Stops, then deletes every SA (zeroing keys) and policy. */
  @Override
  public synchronized void close() {
    stop();
    db.clear();
    events.close();
  }

  public synchronized boolean isRunning() {
    return running != null;
  }

  /** The TUN interface's name while running. */
  public synchronized Optional<String> tunName() {
    return running == null ? Optional.empty() : Optional.of(running.tun.name());
  }

  /** The NAT-T socket while running, for IKE to send through (it shares port 4500). */
  public synchronized Optional<UdpGsoSocket> udpSocket() {
    return running == null ? Optional.empty() : Optional.of(running.udp);
  }

  /** Where IKE datagrams arriving on the NAT-T port go (non-ESP marker removed). */
  public void onIke(IkeDatagramHandler handler) {
    this.ike = java.util.Objects.requireNonNull(handler, "handler");
  }

  public void listen(DataplaneListener listener) {
    events.listener(listener);
  }

  /** Installs one direction of an SA; the keys in {@code sa.esp()} are zeroed when it is deleted. */
  public synchronized void addSa(SaInstall sa) throws DataplaneException {
    SaParameters p = sa.esp();
    boolean udp = sa.udpEncapsulation();
    if (!udp && config.rawEspBind().isEmpty()) {
      throw new DataplaneException("SA " + SecurityDatabase.hex(p.spi()) + " wants raw ESP, which is not enabled");
    }
    try {
      if (p.direction() == SaDirection.INBOUND) {
        InboundSa in = InboundSa.create(p);
        try {
          db.addInbound(new SaEntries.Inbound(sa, in, new SaEntries.OnceFlag(), new SaEntries.OnceFlag()));
        } catch (DataplaneException e) {
          in.destroy();
          throw e;
        }
        return;
      }
      RawEspSocket.Peer rawPeer = null;
      if (!udp) {
        if (running == null || running.raw == null) {
          throw new DataplaneException("raw ESP SA " + SecurityDatabase.hex(p.spi()) + " needs a started data plane");
        }
        rawPeer = running.raw.peer(sa.remote().getAddress());
      }
      OutboundSa out = OutboundSa.create(p);
      int spi = p.spi();
      out.onRekeyNeeded(() -> events.post(l -> l.expired(spi, SaDirection.OUTBOUND, false)));
      int maxInner = p.transform().maxInnerLength(config.espBudget(sa.remote().getAddress(), udp));
      try {
        db.addOutbound(new SaEntries.Outbound(sa, out, maxInner, udp ? UdpGsoSocket.peer(sa.remote()) : null, rawPeer,
            new SaEntries.OnceFlag()));
      } catch (DataplaneException e) {
        out.destroy();
        throw e;
      }
    } catch (GeneralSecurityException e) {
      throw new DataplaneException("the JDK cannot run " + p.transform() + ": " + e.getMessage());
    }
  }

  /** Deletes an SA and zeroes its keys once no worker can still use it; false if it was not there. */
  public boolean deleteSa(int spi, SaDirection direction) {
    return direction == SaDirection.INBOUND ? db.removeInbound(spi) : db.removeOutbound(spi);
  }

  /** Installs or replaces a policy and, while running, routes its remote selectors into the TUN. */
  public synchronized void addPolicy(Policy policy) throws DataplaneException {
    var old = db.current().policies().byId(policy.id());
    db.addPolicy(policy);
    if (running != null) {
      // New routes before the old ones go: a prefix both have keeps its route throughout, so its
      // packets never find the route gone and take the default route out in clear.
      try {
        routes.add(running.tun.name(), policy);
      } catch (IOException e) {
        throw new DataplaneException("policy " + policy.name() + " installed, but its routes failed: " + e.getMessage());
      } finally {
        if (old != null) {
          routes.remove(running.tun.name(), old.policy());
        }
      }
    }
  }

  /** Points a policy's outbound traffic at another installed SA, atomically (make-before-break rekey). */
  public void switchOutbound(int policyId, int spi) throws DataplaneException {
    db.switchOutbound(policyId, spi);
  }

  /** Removes a policy (and its routes); its traffic then matches nothing and is dropped. */
  public synchronized boolean deletePolicy(int policyId) {
    Policy gone = db.removePolicy(policyId);
    if (gone != null && running != null) {
      routes.remove(running.tun.name(), gone);
    }
    return gone != null;
  }

  public Optional<SaStats> usage(int spi, SaDirection direction) {
    SecurityDatabase.Tables t = db.current();
    return Optional.ofNullable(direction == SaDirection.INBOUND
        ? (t.inbound().get(spi) == null ? null : t.inbound().get(spi).sa().stats())
        : (t.outbound().get(spi) == null ? null : t.outbound().get(spi).sa().stats()));
  }

  public DropStats drops() {
    return DropCounters.sum(counters, events.lost());
  }

  private static void closeQuietly(TunDevice tun, UdpGsoSocket udp, RawEspSocket raw) {
    tun.close();
    if (raw != null) {
      raw.close();
    }
    if (udp != null) {
      udp.close();
    }
  }
}
