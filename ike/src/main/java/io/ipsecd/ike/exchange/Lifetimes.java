package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Lifetime;
import io.ipsecd.esp.SaLifetime;
import io.ipsecd.ike.crypto.RandomSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Soft and hard limits of IKE and Child SAs. The soft limit (rekey) is the configured margin before
 * the hard one, brought forward by a random share of up to the jitter, so two peers with the same
 * lifetime rarely rekey at once; this applies to time and to the data plane's byte and packet
 * budgets alike. At the hard time an SA that was not rekeyed is deleted (RFC 7296 §2.8: an SA must
 * not outlive its lifetime); its byte and packet hard limits are the data plane's, which then
 * reports through {@link PortEvents#expired}.
 */
final class Lifetimes {
    private static final Logger log = LoggerFactory.getLogger("ike");

    /** The soft and hard byte/packet budgets of one Child SA, for both of its directions. */
    record TrafficLimits(SaLifetime soft, SaLifetime hard) {
        static final TrafficLimits UNLIMITED = new TrafficLimits(SaLifetime.UNLIMITED, SaLifetime.UNLIMITED);
    }

    private Lifetimes() {
    }

    /** Time until the rekey: the margin before the hard limit, less a random share of up to the jitter. */
    static Duration rekeyDelay(RandomSource random, Lifetime lifetime) {
        return Duration.ofMillis(soft(random, lifetime, lifetime.time().toMillis()));
    }

    /** The child's byte and packet limits for the data plane: hard as configured, soft with jitter. */
    static TrafficLimits traffic(RandomSource random, Lifetime lifetime) {
        if (lifetime.bytes().isEmpty() && lifetime.packets().isEmpty()) {
            return TrafficLimits.UNLIMITED;
        }
        long hardBytes = lifetime.bytes().orElse(Long.MAX_VALUE);
        long hardPackets = lifetime.packets().orElse(Long.MAX_VALUE);
        long softBytes = lifetime.bytes().isPresent() ? soft(random, lifetime, hardBytes) : Long.MAX_VALUE;
        long softPackets = lifetime.packets().isPresent() ? soft(random, lifetime, hardPackets) : Long.MAX_VALUE;
        return new TrafficLimits(new SaLifetime(softBytes, softPackets), new SaLifetime(hardBytes, hardPackets));
    }

    /** A soft limit for {@code hard}: at least 1, so a tiny limit still rekeys before it expires where it can. */
    private static long soft(RandomSource random, Lifetime lifetime, long hard) {
        long range = lifetime.jitterRange(hard);
        long jitter = range == 0 ? 0 : Long.remainderUnsigned(ByteBuffer.wrap(random.bytes(8)).getLong(), range + 1);
        return Math.max(1, lifetime.latestRekey(hard) - jitter);
    }

    /**
     * At the child's hard time limit, unless it has been rekeyed (or deleted) by then: out of the
     * data plane at once (its policy falls back to drop or trap, never clear), then a DELETE tells
     * the peer, after any exchange in flight. Whichever IKE SA owns the child at that moment does
     * it (an IKE rekey moves children).
     */
    static void scheduleChildExpiry(Negotiator n, Child cfg, ChildSa child) {
        Duration life = cfg.lifetime().time();
        child.expiresAt = child.installed().plus(life);
        n.loop.schedule(life, () -> {
            for (IkeSa sa : n.bySpi.values()) {
                if (!sa.children.contains(child)) {
                    continue;
                }
                if (!child.current()) { // replaced or being deleted, yet still here: no news, just go
                    sa.removeChild(child, "lifetime expired");
                    return;
                }
                String why = "its lifetime of " + life.toSeconds() + " s ended without a rekey";
                log.info("{}/{}: CHILD_SA {} expired: {}; deleting it", sa.name(), child.name(),
                        String.format("%08x", child.spiIn()), why);
                n.listener.event("child-expired", sa.name(), child.name() + " expired: " + why
                        + " (check that the peer answers CREATE_CHILD_SA)");
                sa.removeChild(child, "lifetime expired");
                if (sa.state == IkeSa.State.ESTABLISHED) {
                    sa.enqueue(new ChildDeleteTask(child));
                }
                return;
            }
        });
    }

    /**
     * At the IKE SA's hard time limit, unless it has been rekeyed (or is gone) by then: DELETE it
     * with its children. With an exchange still in flight (a rekey the peer never answers) no new
     * request may go out (RFC 7296 §2.3), so it is torn down at once without one. Bringing
     * {@code start: start} children back up is the restart logic's job, as after any other loss.
     */
    static void scheduleIkeExpiry(IkeSa sa) {
        Duration life = sa.conn.ike().lifetime().time();
        Instant due = sa.n.loop.now().plus(life);
        sa.expiresAt = due;
        sa.n.loop.schedule(life, () -> {
            if (!due.equals(sa.expiresAt) || sa.state != IkeSa.State.ESTABLISHED || sa.rekeyed) {
                return;
            }
            String why = "its lifetime of " + life.toSeconds() + " s ended without a rekey";
            log.info("{}: IKE SA with {} expired: {}; deleting it", sa.name(), sa.peer(), why);
            sa.n.listener.event("ike-expired", sa.name(), "IKE SA with " + sa.peer() + " expired: " + why
                    + " (check that the peer answers CREATE_CHILD_SA)");
            if (sa.idle()) {
                sa.enqueue(new DeleteTask());
            } else {
                sa.destroy("lifetime expired during an unanswered exchange");
            }
            sa.n.restarts.failed(sa, "IKE SA expired");
        });
    }
}
