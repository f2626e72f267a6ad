package io.ipsecd.ike.sa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production {@link EventLoop}: one platform thread, wall-clock timers. */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    public ThreadEventLoop(String name, Clock clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> Thread.ofPlatform().name(name).daemon(true)
                .unstarted(runnable));
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** One failing task must not stop the loop that serves every other IKE SA. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                log.error("IKE event loop: a task failed; the other IKE SAs go on", e);
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(2, TimeUnit.SECONDS);
    }
}
