package io.ipsecd.dataplane.posix;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The handful of C library calls the data plane needs, bound once through the FFM linker.
 *
 * <p>Every call captures errno into a per-thread segment, so after a {@code -1} result the caller
 * reads {@link #lastErrno()} on the same thread. Calls that never block ({@code read}, {@code write},
 * {@code sendto}, {@code recvfrom} on non-blocking descriptors) are linked as {@code critical} with
 * heap access: they skip the thread-state transition and accept segments over {@code byte[]}
 * directly, so packets go from the kernel into Java arrays without a copy. A critical call must not
 * block (it would stall GC safepoints), which is why every descriptor here is {@code O_NONBLOCK} and
 * waiting happens in {@link #poll}, a plain downcall.
 */
public final class Libc {
  public static final int O_RDWR = 0x2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_NONBLOCK = 0x800;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int EFD_NONBLOCK = 0x800;
  public static final int EFD_CLOEXEC = 0x80000;
  public static final short POLLIN = 0x1;
  public static final short POLLOUT = 0x4;
  public static final short POLLERR = 0x8;
  public static final short POLLHUP = 0x10;
  public static final short POLLNVAL = 0x20;
  public static final int SOL_SOCKET = 1;
  public static final int SO_RCVBUF = 8;
  public static final int SO_SNDBUF = 7;
  /** Like SO_SNDBUF/SO_RCVBUF, but past net.core.wmem_max/rmem_max; needs CAP_NET_ADMIN. */
  public static final int SO_SNDBUFFORCE = 32;
  public static final int SO_RCVBUFFORCE = 33;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(groupElement("errno"));
  // Arena.ofAuto: a thread's capture segment is freed once the thread (and its ThreadLocal) is gone.
  private static final ThreadLocal<MemorySegment> CALL_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE_LAYOUT));

  private static final MethodHandle OPEN = link("open",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle IOCTL = link("ioctl",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle READ = link("read",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), Linker.Option.critical(true));
  private static final MethodHandle WRITE = link("write",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), Linker.Option.critical(true));
  private static final MethodHandle POLL = link("poll",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  private static final MethodHandle EVENTFD = link("eventfd",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle SOCKET = link("socket",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle BIND = link("bind",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle SETSOCKOPT = link("setsockopt",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle SENDTO = link("sendto",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
      Linker.Option.critical(true));
  private static final MethodHandle RECVFROM = link("recvfrom",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS),
      Linker.Option.critical(true));

  private static final MethodHandle RECVMMSG = link("recvmmsg",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
      Linker.Option.critical(false));
  private static final MethodHandle SENDMMSG = link("sendmmsg",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
      Linker.Option.critical(false));

  private static final MethodHandle SENDMSG = link("sendmsg",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.critical(false));
  private static final MethodHandle RECVMSG = link("recvmsg",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.critical(false));
  private static final MethodHandle GETSOCKNAME = link("getsockname",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

  private Libc() {}

  /**
   * Sizes a socket's kernel buffers to {@code bytes}: with the FORCE options where allowed (root),
   * since the plain ones are capped at rmem_max/wmem_max (about 200 KB by default), which a burst
   * of ESP at a few Gbit/s fills in well under a millisecond. Best effort: failures are ignored.
   */
  public static void sizeBuffers(int fd, int bytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment value = arena.allocate(JAVA_INT);
      value.set(JAVA_INT, 0, bytes);
      if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
      }
      if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, value, 4) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, value, 4);
      }
    }
  }

  private static MethodHandle link(String name, FunctionDescriptor fd, Linker.Option... extra) {
    MemorySegment symbol = LINKER.defaultLookup().find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("C library function " + name + " not found"));
    Linker.Option[] options = java.util.Arrays.copyOf(extra, extra.length + 1);
    options[extra.length] = Linker.Option.captureCallState("errno");
    return LINKER.downcallHandle(symbol, fd, options);
  }

  /** errno left by the last call this thread made through this class. */
  public static int lastErrno() {
    return (int) ERRNO.get(CALL_STATE.get(), 0L);
  }

  public static int open(String path, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      return (int) OPEN.invokeExact(CALL_STATE.get(), arena.allocateFrom(path), flags, 0);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int close(int fd) {
    try {
      return (int) CLOSE.invokeExact(CALL_STATE.get(), fd);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int ioctl(int fd, long request, MemorySegment arg) {
    try {
      return (int) IOCTL.invokeExact(CALL_STATE.get(), fd, request, arg);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking descriptors only (critical call); {@code buf} may be a heap segment. */
  public static long read(int fd, MemorySegment buf, long count) {
    try {
      return (long) READ.invokeExact(CALL_STATE.get(), fd, buf, count);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking descriptors only (critical call); {@code buf} may be a heap segment. */
  public static long write(int fd, MemorySegment buf, long count) {
    try {
      return (long) WRITE.invokeExact(CALL_STATE.get(), fd, buf, count);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** {@code fds} must be a native segment of {@code struct pollfd}. */
  public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
    try {
      return (int) POLL.invokeExact(CALL_STATE.get(), fds, nfds, timeoutMillis);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int eventfd(int initval, int flags) {
    try {
      return (int) EVENTFD.invokeExact(CALL_STATE.get(), initval, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int socket(int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(CALL_STATE.get(), domain, type, protocol);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int bind(int fd, MemorySegment addr, int addrLen) {
    try {
      return (int) BIND.invokeExact(CALL_STATE.get(), fd, addr, addrLen);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int setsockopt(int fd, int level, int name, MemorySegment value, int valueLen) {
    try {
      return (int) SETSOCKOPT.invokeExact(CALL_STATE.get(), fd, level, name, value, valueLen);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking sockets only (critical call); {@code buf} may be a heap segment. */
  public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
    try {
      return (long) SENDTO.invokeExact(CALL_STATE.get(), fd, buf, len, flags, addr, addrLen);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking sockets only (critical call); {@code buf} may be a heap segment. */
  public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr,
      MemorySegment addrLen) {
    try {
      return (long) RECVFROM.invokeExact(CALL_STATE.get(), fd, buf, len, flags, addr, addrLen);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking sockets only (critical call); every pointer in {@code msgvec} is native memory. */
  public static int recvmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
    try {
      return (int) RECVMMSG.invokeExact(CALL_STATE.get(), fd, msgvec, vlen, flags, MemorySegment.NULL);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking sockets only (critical call); every pointer in {@code msgvec} is native memory. */
  public static int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
    try {
      return (int) SENDMMSG.invokeExact(CALL_STATE.get(), fd, msgvec, vlen, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking sockets only (critical call); every pointer in {@code msg} is native memory. */
  public static long sendmsg(int fd, MemorySegment msg, int flags) {
    try {
      return (long) SENDMSG.invokeExact(CALL_STATE.get(), fd, msg, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Non-blocking sockets only (critical call); every pointer in {@code msg} is native memory. */
  public static long recvmsg(int fd, MemorySegment msg, int flags) {
    try {
      return (long) RECVMSG.invokeExact(CALL_STATE.get(), fd, msg, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  public static int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
    try {
      return (int) GETSOCKNAME.invokeExact(CALL_STATE.get(), fd, addr, addrLen);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  private static RuntimeException unexpected(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("native call failed unexpectedly", t);
  }
}
