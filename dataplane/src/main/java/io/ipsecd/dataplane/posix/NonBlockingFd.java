package io.ipsecd.dataplane.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking file descriptor whose waiters can be woken by {@link #close()}.
 *
 * <p>Waiting is a {@code poll()} on the descriptor plus an eventfd; close writes the eventfd, so a
 * thread parked in {@link #awaitReadable} returns at once with {@link AsynchronousCloseException}.
 * Close then waits for every call bracketed by {@link #enter()}/{@link #exit()} to leave before it
 * closes the descriptor: closing an fd another thread is still using would let the number be reused
 * by an unrelated open and the late call would hit the wrong file.
 */
public final class NonBlockingFd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NonBlockingFd.class);
  private static final long CLOSE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }
  private static final ThreadLocal<MemorySegment> POLLFDS =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(2L * POLLFD_SIZE, 8));
  private static final MemorySegment ONE = MemorySegment.ofArray(new long[] {1L});

  private final int fd;
  private final int wakeFd;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();

  private NonBlockingFd(int fd, int wakeFd, String description) {
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.description = description;
  }

  /** Takes ownership of {@code fd} (already O_NONBLOCK); closes it if the wake-up eventfd can't be made. */
  public static NonBlockingFd adopt(int fd, String description) throws PosixException {
    int wake = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    if (wake < 0) {
      int errno = Libc.lastErrno();
      Libc.close(fd);
      throw new PosixException("cannot create the eventfd that wakes readers of " + description, errno);
    }
    return new NonBlockingFd(fd, wake, description);
  }

  public int fd() {
    return fd;
  }

  public String description() {
    return description;
  }

  public boolean isOpen() {
    return !closed.get();
  }

  /** Marks the start of a call on {@link #fd()}; pair with {@link #exit()} in a finally block. */
  public void enter() throws ClosedChannelException {
    inFlight.incrementAndGet();
    if (closed.get()) {
      inFlight.decrementAndGet();
      throw new ClosedChannelException();
    }
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  /**
   * Waits until the descriptor is readable (or has an error or hang-up to report through the next
   * read), the timeout passes, or the fd is closed. A negative timeout waits without limit. Call it
   * between {@link #enter()} and {@link #exit()}.
   *
   * @return true if readable, false on timeout
   * @throws AsynchronousCloseException if {@link #close()} was called
   */
  public boolean awaitReadable(int timeoutMillis) throws IOException {
    return await(Libc.POLLIN, timeoutMillis);
  }

  /** Like {@link #awaitReadable} for writability, used when a send returned EAGAIN. */
  public boolean awaitWritable(int timeoutMillis) throws IOException {
    return await(Libc.POLLOUT, timeoutMillis);
  }

  private boolean await(short events, int timeoutMillis) throws IOException {
    MemorySegment pfds = POLLFDS.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMillis, 0));
    int remaining = timeoutMillis;
    while (true) {
      if (closed.get()) {
        throw new AsynchronousCloseException();
      }
      pfds.set(JAVA_INT, 0, fd);
      pfds.set(JAVA_SHORT, 4, events);
      pfds.set(JAVA_SHORT, 6, (short) 0);
      pfds.set(JAVA_INT, POLLFD_SIZE, wakeFd);
      pfds.set(JAVA_SHORT, POLLFD_SIZE + 4, Libc.POLLIN);
      pfds.set(JAVA_SHORT, POLLFD_SIZE + 6, (short) 0);
      int n = Libc.poll(pfds, 2, remaining);
      if (n < 0) {
        int errno = Libc.lastErrno();
        if (errno != Errno.EINTR) {
          throw new PosixException("poll on " + description + " failed", errno);
        }
      } else if (n > 0) {
        if (pfds.get(JAVA_SHORT, POLLFD_SIZE + 6) != 0 || closed.get()) {
          throw new AsynchronousCloseException();
        }
        short revents = pfds.get(JAVA_SHORT, 6);
        if ((revents & Libc.POLLNVAL) != 0) {
          throw new PosixException("poll on " + description + " reports an invalid descriptor", Errno.EBADF);
        }
        if (revents != 0) {
          return true; // readiness, or POLLERR/POLLHUP that the following call will report as errno
        }
      }
      if (timeoutMillis >= 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        remaining = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
      }
    }
  }

  /** Wakes waiters, waits for calls in flight to leave, then closes the fd. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Libc.write(wakeFd, ONE, 8) < 0) {
      log.warn("could not wake readers of {}: {}", description, Errno.describe(Libc.lastErrno()));
    }
    long deadline = System.nanoTime() + CLOSE_DRAIN_NANOS;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      log.warn("closing {} while {} call(s) are still in flight", description, inFlight.get());
    }
    Libc.close(fd);
    Libc.close(wakeFd);
  }
}
