package io.ipsecd.ike.sa;

import java.time.Duration;
import java.time.Instant;

/**
 * The one thread that owns IKE state: every message, timer and admin request for an IKE SA runs
 * here, so IKE SAs need no locks. Tests use {@link ManualEventLoop} to drive time by hand.
 */
public interface EventLoop {
    Instant now();

    /** Runs the task on the loop, after what is already queued. */
    void execute(Runnable task);

    /** Runs the task on the loop after the delay, unless cancelled first. */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task that has not run yet. */
    interface Timer {
        /** Returns false if the task already ran or was already cancelled. */
        boolean cancel();
    }
}
