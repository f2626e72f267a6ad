package io.ipsecd.ike.sa;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends one request and resends it on the {@link RetransmitPolicy} until a response arrives or
 * the policy gives up. A request may be several datagrams (IKE fragments): all are resent.
 * Runs on the IKE SA's {@link EventLoop}; not thread-safe.
 */
public final class Retransmitter {
    private final EventLoop loop;
    private final RetransmitPolicy policy;
    private final Consumer<byte[]> transmit;
    private Outstanding current;

    public Retransmitter(EventLoop loop, RetransmitPolicy policy, Consumer<byte[]> transmit) {
        this.loop = loop;
        this.policy = policy;
        this.transmit = transmit;
    }

    /** Why a request was given up, in words an admin can act on. */
    public record GiveUp(int messageId, int retransmits, Duration waited) {
        public String describe(String peer) {
            return "peer " + peer + " not answering: gave up after " + retransmits + " retransmits ("
                    + waited.toSeconds() + " s)";
        }
    }

    /** Sends the request now; {@code onGiveUp} runs on the loop if no response ever comes. */
    public void send(int messageId, List<byte[]> datagrams, Consumer<GiveUp> onGiveUp) {
        send(messageId, datagrams, policy, onGiveUp);
    }

    /** As {@link #send(int, List, Consumer)}, resending on {@code schedule} (a liveness check's own bound). */
    public void send(int messageId, List<byte[]> datagrams, RetransmitPolicy schedule, Consumer<GiveUp> onGiveUp) {
        if (current != null) {
            throw new IllegalStateException("request " + current.messageId + " is still outstanding");
        }
        current = new Outstanding(messageId, List.copyOf(datagrams), schedule, onGiveUp, loop.now());
        current.transmit();
    }

    /** A response to {@code messageId} arrived: stop resending. Returns false if it wasn't outstanding. */
    public boolean answered(int messageId) {
        if (current == null || current.messageId != messageId) {
            return false;
        }
        current.timer.cancel();
        current = null;
        return true;
    }

    public boolean outstanding() {
        return current != null;
    }

    /** The IKE SA is going away: no more resends, no give-up callback. */
    public void cancel() {
        if (current != null) {
            current.timer.cancel();
            current = null;
        }
    }

    private final class Outstanding {
        final int messageId;
        final List<byte[]> datagrams;
        final RetransmitPolicy schedule;
        final Consumer<GiveUp> onGiveUp;
        final Instant firstSent;
        int sends;
        EventLoop.Timer timer;

        Outstanding(int messageId, List<byte[]> datagrams, RetransmitPolicy schedule, Consumer<GiveUp> onGiveUp,
                    Instant firstSent) {
            this.messageId = messageId;
            this.datagrams = datagrams;
            this.schedule = schedule;
            this.onGiveUp = onGiveUp;
            this.firstSent = firstSent;
        }

        void transmit() {
            datagrams.forEach(transmit);
            Duration wait = schedule.timeoutAfter(sends);
            sends++;
            timer = loop.schedule(wait, this::expired);
        }

        void expired() {
            if (current != this) {
                return;
            }
            if (sends > schedule.retransmits()) {
                current = null;
                onGiveUp.accept(new GiveUp(messageId, schedule.retransmits(), Duration.between(firstSent, loop.now())));
                return;
            }
            transmit();
        }
    }
}
