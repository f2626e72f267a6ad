package io.ipsecd.cli.tunnel;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans daemon events out to monitors. Each subscriber has its own bounded queue and sender thread,
 * so a slow or stuck monitor drops its own events (and is told how many) without ever slowing the
 * daemon.
 */
public final class EventBus {
  private static final Logger log = LoggerFactory.getLogger("ctl");
  private static final int QUEUE = 1024;

  private final Clock clock;
  private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong published = new AtomicLong();
  /** Every published event counted by its type, for {@code stats}; types are a small fixed vocabulary. */
  private final ConcurrentHashMap<String, LongAdder> byType = new ConcurrentHashMap<>();

  public EventBus(Clock clock) {
    this.clock = clock;
  }

  public void publish(String type, String connection, String message) {
    DaemonEvent event = new DaemonEvent(clock.instant(), type, connection, message);
    published.incrementAndGet();
    byType.computeIfAbsent(type, t -> new LongAdder()).increment();
    for (Subscription s : subscribers) {
      s.offer(event);
    }
  }

  public long published() {
    return published.get();
  }

  /** How many events of each type were published since start, by type name. */
  public Map<String, Long> publishedByType() {
    Map<String, Long> counts = new TreeMap<>();
    byType.forEach((type, n) -> counts.put(type, n.sum()));
    return counts;
  }

  /** The listener runs on the subscription's own thread; an exception from it ends the subscription. */
  public AutoCloseable subscribe(Consumer<DaemonEvent> listener) {
    Subscription s = new Subscription(listener);
    subscribers.add(s);
    s.thread = Thread.ofVirtual().name("monitor").start(s::run);
    return s;
  }

  private final class Subscription implements AutoCloseable {
    private final BlockingQueue<DaemonEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Consumer<DaemonEvent> listener;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean open = true;
    private Thread thread;

    Subscription(Consumer<DaemonEvent> listener) {
      this.listener = listener;
    }

    void offer(DaemonEvent event) {
      if (!queue.offer(event)) {
        dropped.incrementAndGet();
      }
    }

    void run() {
      try {
        while (open) {
          DaemonEvent event = queue.poll(1, TimeUnit.SECONDS);
          long lost = dropped.getAndSet(0);
          if (lost > 0) {
            listener.accept(new DaemonEvent(clock.instant(), "monitor-overflow", null,
                lost + " events dropped because this monitor fell behind"));
          }
          if (event != null) {
            listener.accept(event);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.debug("monitor ended: {}", e.getMessage());
      } finally {
        close();
      }
    }

    @Override
    public void close() {
      open = false;
      subscribers.remove(this);
      if (thread != null && thread != Thread.currentThread()) {
        thread.interrupt();
      }
    }
  }
}
