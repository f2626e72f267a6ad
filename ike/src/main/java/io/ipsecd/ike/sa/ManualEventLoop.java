package io.ipsecd.ike.sa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A deterministic {@link EventLoop} for tests: time moves only when {@link #advance} is called,
 * and tasks run on the caller's thread in due order.
 */
public final class ManualEventLoop implements EventLoop {
    private final Queue<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> timers = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public ManualEventLoop(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Scheduled s = new Scheduled(now.plus(delay), sequence++, task);
        timers.add(s);
        return () -> timers.remove(s);
    }

    /** Runs every task that is ready now. */
    public void runReady() {
        Runnable task;
        while ((task = ready.poll()) != null) {
            task.run();
        }
    }

    /** Moves time forward, running each timer at its due time. */
    public void advance(Duration by) {
        Instant until = now.plus(by);
        runReady();
        while (!timers.isEmpty() && !timers.peek().due.isAfter(until)) {
            Scheduled next = timers.poll();
            now = next.due;
            next.task.run();
            runReady();
        }
        now = until;
    }

    public int pendingTimers() {
        return timers.size();
    }

    private record Scheduled(Instant due, long order, Runnable task) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
