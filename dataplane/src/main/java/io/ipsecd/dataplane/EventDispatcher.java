package io.ipsecd.dataplane;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries events from packet workers to the listener on a thread of its own, so a listener that
 * takes a lock or does I/O never stalls a worker. The queue is bounded: when it is full the event
 * is dropped and counted, and the worker goes on. Events allocate; they are rare by construction
 * (once per SA expiry, acquires and unknown SPIs are rate-limited).
 */
final class EventDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
  private static final int CAPACITY = 1024;

  private final BlockingQueue<Consumer<DataplaneListener>> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong lost = new AtomicLong();
  private volatile DataplaneListener listener = DataplaneListener.NONE;
  private final Thread thread;

  EventDispatcher() {
    thread = Thread.ofPlatform().name("dataplane-events").daemon().unstarted(this::run);
    thread.start();
  }

  void listener(DataplaneListener listener) {
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
  }

  void post(Consumer<DataplaneListener> event) {
    if (!queue.offer(event)) {
      lost.incrementAndGet();
    }
  }

  long lost() {
    return lost.get();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      Consumer<DataplaneListener> event;
      try {
        event = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event == null) {
        continue;
      }
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.error("data plane listener failed on an event; continuing", e);
      }
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
