package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Dpd;
import io.ipsecd.conf.DpdAction;
import io.ipsecd.conf.StartAction;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaStats;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.ProtocolId;
import io.ipsecd.ike.port.SaId;
import io.ipsecd.ike.sa.EventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead peer detection for one established IKE SA (RFC 7296 §2.4). The peer counts as heard when
 * an authentic IKE message comes from it or ESP arrives on one of the SA's children (the port's
 * inbound packet counters). After {@code dpd.delay} without either, a liveness check starts: an
 * empty INFORMATIONAL, resent within {@code dpd.timeout} ({@link #boundedBy}); without an answer by
 * then the peer is dead, and so it is when any of our requests on the established SA is given up.
 * A dead peer's SA goes, and {@code dpd.action} says what its children do: {@code restart}
 * re-establishes them through {@link Restarts} (with backoff), {@code trap} leaves trap policies so
 * the next packet brings the tunnel back, {@code clear} leaves drop policies and nothing restarts.
 *
 * <p>ESP for an SPI we don't know from this peer, or its INVALID_SPI notify, starts a check at
 * once (at most every {@link #SUSPICION_INTERVAL}), so a peer that lost its state is found without
 * waiting for the idle delay.
 */
final class Liveness {
    private static final Logger log = LoggerFactory.getLogger("ike");
    /** A liveness check retransmits with this factor, at most this many times, at least this far apart. */
    private static final double FACTOR = 1.5;
    private static final int MAX_RETRANSMITS = 5;
    private static final long MIN_INTERVAL_MILLIS = 1000;
    /** Unknown-SPI ESP or INVALID_SPI start a check at most this often per IKE SA. */
    static final Duration SUSPICION_INTERVAL = Duration.ofSeconds(5);

    private final IkeSa sa;
    private Instant lastHeard;
    /** Inbound packets per child SPI at the last look, to see whether ESP came since. */
    private Map<Integer, Long> inboundPackets = Map.of();
    /** When the running check began; null when none runs. */
    private Instant checkSince;
    private Instant lastSuspicion;
    private EventLoop.Timer idleTimer;
    private EventLoop.Timer deadline;

    Liveness(IkeSa sa) {
        this.sa = sa;
    }

    private Dpd dpd() {
        return sa.conn.ike().dpd();
    }

    private boolean enabled() {
        return dpd().delay().isPositive() && dpd().timeout().isPositive();
    }

    /** The SA is established: watch for silence from now on. */
    void start() {
        lastHeard = sa.n.loop.now();
        if (enabled()) {
            scheduleIdleCheck(dpd().delay());
        }
    }

    /** An authentic IKE message came from the peer: it is alive, and a running check has its answer. */
    void heard() {
        lastHeard = sa.n.loop.now();
        if (checkSince != null) {
            log.debug("{}: peer {} answered the liveness check", sa.name(), sa.peer());
            checkSince = null;
            cancel(deadline);
            deadline = null;
            if (enabled()) {
                scheduleIdleCheck(dpd().delay());
            }
        }
    }

    void stop() {
        cancel(idleTimer);
        cancel(deadline);
        idleTimer = null;
        deadline = null;
        checkSince = null;
    }

    /** A check now, whatever the idle time: asked for, or the peer looks like it lost its state. */
    void checkNow(String reason) {
        if (sa.state == IkeSa.State.ESTABLISHED && !sa.rekeyed && checkSince == null) {
            begin(reason);
        }
    }

    /** As {@link #checkNow}, at most every {@link #SUSPICION_INTERVAL} (unknown-SPI ESP can come at line rate). */
    void suspect(String reason) {
        Instant now = sa.n.loop.now();
        if (lastSuspicion != null && Duration.between(lastSuspicion, now).compareTo(SUSPICION_INTERVAL) < 0) {
            return;
        }
        lastSuspicion = now;
        log.info("{}: {}: checking that peer {} is alive", sa.name(), reason, sa.peer());
        checkNow(reason);
    }

    private void scheduleIdleCheck(Duration in) {
        cancel(idleTimer);
        idleTimer = sa.n.loop.schedule(in, this::idleCheck);
    }

    private void idleCheck() {
        idleTimer = null;
        if (sa.state != IkeSa.State.ESTABLISHED || sa.rekeyed || checkSince != null || !enabled()) {
            return;
        }
        noteInboundEsp();
        Duration quiet = Duration.between(lastHeard, sa.n.loop.now());
        if (quiet.compareTo(dpd().delay()) < 0) {
            scheduleIdleCheck(dpd().delay().minus(quiet));
            return;
        }
        begin("nothing from peer " + sa.peer() + " for " + seconds(quiet));
    }

    /** ESP that arrived since the last look counts as hearing from the peer (when the port says when, then). */
    private void noteInboundEsp() {
        Map<Integer, Long> now = new HashMap<>();
        Instant latest = null;
        Instant clock = sa.n.loop.now();
        for (ChildSa c : sa.children) {
            Optional<SaStats> stats = sa.n.port.usage(new SaId(c.spiIn(), SaDirection.INBOUND));
            if (stats.isEmpty()) {
                continue;
            }
            long packets = stats.get().packets();
            now.put(c.spiIn(), packets);
            if (packets > inboundPackets.getOrDefault(c.spiIn(), 0L)) {
                long last = stats.get().lastPacketNanos();
                // lastPacketNanos is on System.nanoTime's scale: only its age is meaningful here.
                Instant at = last == 0 ? clock : clock.minusNanos(Math.max(0, System.nanoTime() - last));
                latest = latest == null || at.isAfter(latest) ? at : latest;
            }
        }
        inboundPackets = now;
        if (latest != null && latest.isAfter(lastHeard)) {
            lastHeard = latest;
        }
    }

    private void begin(String reason) {
        cancel(idleTimer);
        idleTimer = null;
        checkSince = sa.n.loop.now();
        Duration timeout = dpd().timeout();
        log.info("{}: {}: liveness check sent (dead without an answer within {})", sa.name(), reason, seconds(timeout));
        sa.n.listener.event("dpd-check", sa.name(), reason + ": liveness check sent to peer " + sa.peer()
                + " (declared dead without an answer within " + seconds(timeout) + ")");
        if (!sa.hasQueued(LivenessTask.class)) {
            sa.enqueue(new LivenessTask());
        }
        // The bound holds even when another request is ahead of the check in the queue.
        deadline = sa.n.loop.schedule(timeout, () -> {
            deadline = null;
            if (checkSince != null) {
                dead(sa, "no answer to the liveness check within " + seconds(timeout));
            }
        });
    }

    private static void cancel(EventLoop.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    // ---- a dead peer ---------------------------------------------------------------------------

    /**
     * The peer of an established SA is dead (no answer to a check, or a request given up): report
     * it, drop the SA, and let {@code dpd.action} decide what its children do.
     */
    static void dead(IkeSa sa, String why) {
        if (sa.state == IkeSa.State.DELETED) {
            return;
        }
        Negotiator n = sa.n;
        String name = sa.name();
        String peer = sa.peer();
        DpdAction action = sa.conn.remote().ip().isPresent() ? sa.conn.ike().dpd().action() : DpdAction.CLEAR;
        Set<String> children = new LinkedHashSet<>();
        sa.children.stream().map(ChildSa::name).filter(sa.conn.children()::containsKey).forEach(children::add);
        String message = "peer " + peer + " is dead: " + why + "; check that its IKE daemon runs and that UDP 500/4500"
                + " from here reach it";
        n.listener.event("dpd-dead", name, message);
        n.listener.failed(name, Optional.empty(), message); // logged at WARN there
        switch (action) {
            case TRAP -> n.restarts.waitAs(sa.conn, children, true);
            case CLEAR -> {
                n.restarts.waitAs(sa.conn, children, false);
                n.restarts.cancel(name);
            }
            case RESTART -> { }
        }
        sa.destroy("peer dead");
        String list = children.isEmpty() ? "no child" : String.join(", ", children);
        String what = switch (action) {
            case RESTART -> "re-establishing " + list + " with " + peer + " (their traffic is dropped until then)";
            case TRAP -> list + " wait as trap policies: the next packet for them re-establishes the tunnel with " + peer;
            case CLEAR -> list + " stay down and their traffic is dropped; 'ipsecctl up " + name + "' brings them back";
        };
        log.info("{}: dpd action {}: {}", name, action.keyword(), what);
        n.listener.event("dpd-action", name, "dpd action " + action.keyword() + ": " + what);
        if (action == DpdAction.RESTART) {
            Set<String> restart = new LinkedHashSet<>(children);
            sa.conn.children().values().stream().filter(c -> c.start() == StartAction.START).map(Child::name)
                    .forEach(restart::add);
            n.restarts.schedule(sa.conn, restart, "peer " + peer + " dead");
        }
    }

    // ---- the peer says it lost an SA -----------------------------------------------------------

    /**
     * A protected INFORMATIONAL request from the peer: an INVALID_SPI notify (RFC 7296 §2.21.4)
     * for one of our Child SAs means the peer lost it. Check the IKE SA, then replace the child.
     */
    static void informational(IkeSa sa, List<Payload> payloads) {
        List<NotifyPayload> invalid = ChildExchange.view(payloads).all(NotifyPayload.class).stream()
                .filter(p -> p.notifyType() == NotifyType.INVALID_SPI.value()).toList();
        if (invalid.isEmpty() || sa.state != IkeSa.State.ESTABLISHED) {
            return;
        }
        List<ChildSa> lost = new ArrayList<>();
        for (NotifyPayload p : invalid) {
            spiOf(p).ifPresent(spi -> sa.children.stream().filter(c -> c.spiOut() == spi)
                    .filter(c -> !lost.contains(c)).forEach(lost::add));
        }
        sa.liveness.suspect("peer " + sa.peer() + " sent INVALID_SPI");
        for (ChildSa c : lost) {
            Child cfg = sa.conn.children().get(c.name());
            log.info("{}/{}: peer {} has no SA {}: replacing the child", sa.name(), c.name(), sa.peer(),
                    String.format("%08x", c.spiOut()));
            sa.enqueue(new ChildDeleteTask(c));
            if (cfg != null) {
                sa.enqueue(new ChildCreateTask(cfg));
            }
        }
    }

    /** The SPI an INVALID_SPI names: in the SPI field for ESP, else in the notification data. */
    private static Optional<Integer> spiOf(NotifyPayload p) {
        if (p.protocolId() == ProtocolId.ESP.value() && p.spi().length() == 4) {
            return Optional.of(ByteBuffer.wrap(p.spi().toArray()).getInt());
        }
        if (p.data().length() == 4) {
            return Optional.of(ByteBuffer.wrap(p.data().toArray()).getInt());
        }
        return Optional.empty();
    }

    // ---- retransmission ------------------------------------------------------------------------

    /**
     * The resend schedule of {@code task}: a liveness check, and the connect of a restart attempt,
     * are bounded by {@code dpd.timeout}; everything else follows the negotiator's policy.
     */
    static RetransmitPolicy retransmitPolicy(IkeSa sa, Task task) {
        boolean bounded = task instanceof LivenessTask || (sa.boundedConnect && sa.state == IkeSa.State.CONNECTING);
        return bounded ? boundedBy(sa.conn.ike().dpd().timeout()) : sa.n.settings.retransmit();
    }

    /**
     * Resends that give up after {@code timeout} in all: a factor of 1.5, as many resends as fit
     * (at most 5) with the first at least a second after the send. 45 s (Azure's) resends after
     * 2.2, 3.2, 4.9, 7.3, 11 and 16.4 s; 9 s after 1.1, 1.7, 2.5 and 3.7 s.
     */
    static RetransmitPolicy boundedBy(Duration timeout) {
        long total = Math.max(1, timeout.toMillis());
        for (int retransmits = MAX_RETRANSMITS; ; retransmits--) {
            double sum = (Math.pow(FACTOR, retransmits + 1) - 1) / (FACTOR - 1);
            long first = Math.max(1, Math.round(total / sum));
            if (first >= MIN_INTERVAL_MILLIS || retransmits == 0) {
                return new RetransmitPolicy(Duration.ofMillis(Math.min(first, total)), FACTOR, Duration.ofMillis(total),
                        retransmits);
            }
        }
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
