package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.StartAction;
import io.ipsecd.ike.sa.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings children back by themselves: a {@code start: start} child after any failure of its IKE
 * SA (no answer, authentication or proposal error, expiry), and a dead peer's children when
 * {@code dpd.action} is {@code restart}. Attempts back off: the first after {@link #FIRST}, each
 * next one twice as late, at most {@link #MAX}; an established IKE SA of the connection resets
 * the count. The connect of an attempt gives up after {@code dpd.timeout}, so a peer that is still
 * down costs one timeout per attempt. {@code ipsecctl down} and removing the connection stop it.
 *
 * <p>It also remembers how a dead peer's children wait when {@code dpd.action} is {@code trap}
 * (trap policies, even for {@code start: start}) or {@code clear} (drop policies, even for
 * {@code start: trap}), until the connection is established again.
 */
final class Restarts {
    private static final Logger log = LoggerFactory.getLogger("ike");
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private final Negotiator n;
    private final Map<String, Pending> byConnection = new HashMap<>();
    /** "connection/child" to whether it waits as a trap (true) or a drop (false) policy. */
    private final Map<String, Boolean> waiting = new HashMap<>();

    /** The children to bring back, how often it failed since the last success, the next attempt. */
    private static final class Pending {
        final Set<String> children = new LinkedHashSet<>();
        int failures;
        EventLoop.Timer timer;
    }

    Restarts(Negotiator n) {
        this.n = n;
    }

    /** The delay before the attempt following {@code failures} failures: 1, 2, 4, ... 60 s. */
    static Duration backoff(int failures) {
        Duration d = FIRST.multipliedBy(1L << Math.min(failures, 16));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** An IKE SA of the connection failed: its {@code start: start} children (and any waiting restart) come back. */
    void failed(IkeSa sa, String why) {
        List<String> start = sa.conn.children().values().stream().filter(c -> c.start() == StartAction.START)
                .map(Child::name).toList();
        schedule(sa.conn, start, why);
    }

    /** Schedules the next attempt to bring up {@code children} (unless one is already due). */
    void schedule(Connection conn, Collection<String> children, String why) {
        if (conn.remote().ip().isEmpty() || n.connections.get(conn.name()) == null) {
            return;
        }
        Pending p = byConnection.computeIfAbsent(conn.name(), k -> new Pending());
        children.stream().filter(conn.children()::containsKey).forEach(p.children::add);
        if (p.children.isEmpty()) {
            byConnection.remove(conn.name());
            return;
        }
        if (p.timer != null) {
            return;
        }
        Duration delay = backoff(p.failures);
        p.failures++;
        Instant at = n.loop.now().plus(delay).truncatedTo(ChronoUnit.MILLIS);
        String what = "attempt " + p.failures + " to bring up " + String.join(", ", p.children) + " with "
                + conn.remote().address() + " in " + Liveness.seconds(delay) + " (at " + at + ")";
        log.info("{}: {}; {}", conn.name(), why, what);
        n.listener.event("restart-scheduled", conn.name(), why + ": " + what);
        p.timer = n.loop.schedule(delay, () -> attempt(conn.name()));
    }

    private void attempt(String name) {
        Pending p = byConnection.get(name);
        if (p == null) {
            return;
        }
        p.timer = null;
        Connection conn = n.connections.get(name);
        List<String> children = conn == null ? List.of()
                : p.children.stream().filter(conn.children()::containsKey).toList();
        if (children.isEmpty()) {
            byConnection.remove(name);
            return;
        }
        if (n.sas(name).stream().anyMatch(s -> s.state == IkeSa.State.CONNECTING)) {
            return; // an attempt is under way already; its failure schedules the next one
        }
        log.info("{}: restarting {} with {} (attempt {})", name, String.join(", ", children), conn.remote().address(),
                p.failures);
        n.listener.event("restart", name, "re-initiating " + String.join(", ", children) + " with "
                + conn.remote().address() + " (attempt " + p.failures + ")");
        try {
            n.initiate(conn, children, true);
        } catch (RuntimeException e) {
            schedule(conn, children, "cannot initiate: " + e.getMessage());
        }
    }

    /** An IKE SA of the connection is established: the count starts over, children wait as configured again. */
    void succeeded(IkeSa sa) {
        waiting.keySet().removeIf(k -> k.startsWith(sa.name() + "/"));
        Pending p = byConnection.get(sa.name());
        if (p == null) {
            return;
        }
        p.failures = 0;
        if (p.timer == null) {
            byConnection.remove(sa.name()); // the established SA brings (or brought) the children
        }
    }

    /** The admin took the connection (or one child) down, or it was removed: no more attempts. */
    void cancel(String connection, Optional<String> child) {
        Pending p = byConnection.get(connection);
        if (p == null) {
            return;
        }
        child.ifPresentOrElse(p.children::remove, p.children::clear);
        if (p.children.isEmpty()) {
            if (p.timer != null) {
                p.timer.cancel();
            }
            byConnection.remove(connection);
        }
    }

    void cancel(String connection) {
        cancel(connection, Optional.empty());
    }

    void cancelAll() {
        List.copyOf(byConnection.keySet()).forEach(this::cancel);
    }

    /** After {@code dpd.action} trap or clear: the children wait as trap (true) or drop (false) policies. */
    void waitAs(Connection conn, Collection<String> children, boolean trap) {
        children.forEach(c -> waiting.put(conn.name() + "/" + c, trap));
    }

    /** Whether the child waits as a trap ({@code true}) or drop policy after a dead peer, if dpd.action said so. */
    Optional<Boolean> waitsAsTrap(String connection, String child) {
        return Optional.ofNullable(waiting.get(connection + "/" + child));
    }

    /** Whether an attempt for the connection is scheduled. */
    boolean pending(String connection) {
        Pending p = byConnection.get(connection);
        return p != null && p.timer != null;
    }
}
