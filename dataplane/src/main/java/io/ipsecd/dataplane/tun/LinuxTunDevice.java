package io.ipsecd.dataplane.tun;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.posix.Errno;
import io.ipsecd.dataplane.posix.Libc;
import io.ipsecd.dataplane.posix.NonBlockingFd;
import io.ipsecd.dataplane.posix.PosixException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TUN queue opened through {@code /dev/net/tun} with FFM: {@code IFF_TUN | IFF_NO_PI}, optionally
 * {@code IFF_MULTI_QUEUE} so that each worker thread gets its own queue of the same interface.
 *
 * <p>The descriptor is non-blocking; reads drain what is queued and wait in {@code poll()} only when
 * the queue is empty, which is also where {@link #close()} wakes them. The device is not persistent:
 * the kernel removes the interface when the last queue's descriptor closes, so a crashed daemon
 * leaves nothing behind.
 */
public final class LinuxTunDevice implements TunDevice {
  static final String CLONE_DEVICE = "/dev/net/tun";
  static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
  static final short IFF_TUN = 0x0001;
  static final short IFF_MULTI_QUEUE = 0x0100;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_VNET_HDR = 0x4000;
  static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int)
  static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04;
  static final int IFNAMSIZ = 16;
  private static final int IFREQ_SIZE = 40; // struct ifreq on 64-bit Linux
  private static final int IFREQ_FLAGS_OFFSET = 16;

  private final NonBlockingFd fd;
  private final String name;
  private final AtomicLong rejectedWrites = new AtomicLong();
  private final boolean virtioHeaders;

  private LinuxTunDevice(NonBlockingFd fd, String name, boolean virtioHeaders) {
    this.fd = fd;
    this.name = name;
    this.virtioHeaders = virtioHeaders;
  }

  /**
   * Creates (or attaches to) the single-queue TUN interface {@code name}; an empty name or one with
   * {@code %d} (e.g. {@code ipsec%d}) lets the kernel pick a free one, see {@link #name()}.
   */
  public static LinuxTunDevice open(String name) throws IOException {
    return attach(name, false, false);
  }

  /**
   * Like {@link #open}, with TCP segmentation offload: the kernel may hand over TCP packets of up
   * to 64 KiB for the reader to cut into MSS-sized segments, and leave checksums for it to finish
   * (wireguard-go's technique, 9e2f386). Every read and write then carries a
   * {@link VirtioNetHeader} in front of the packet; see {@link #virtioHeaders()}.
   */
  public static LinuxTunDevice openWithOffload(String name) throws IOException {
    LinuxTunDevice tun = attach(name, false, true);
    // The flags are the ioctl's argument value itself, not a pointer to them.
    if (Libc.ioctl(tun.fd.fd(), TUNSETOFFLOAD, MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) < 0) {
      int errno = Libc.lastErrno();
      tun.close();
      throw new PosixException("cannot enable offloads on TUN " + tun.name + " (TUNSETOFFLOAD)", errno);
    }
    return tun;
  }

  /**
   * Creates the multi-queue TUN interface {@code name} with {@code queues} queues, one per worker
   * thread; the kernel spreads outbound flows over them. If any queue fails, the ones already
   * opened are closed (and the interface with them).
   */
  public static List<LinuxTunDevice> openQueues(String name, int queues) throws IOException {
    if (queues < 1) {
      throw new IllegalArgumentException("a TUN device needs at least one queue, got " + queues);
    }
    List<LinuxTunDevice> opened = new ArrayList<>(queues);
    try {
      String actual = name;
      for (int i = 0; i < queues; i++) {
        LinuxTunDevice queue = attach(actual, true, false);
        opened.add(queue);
        actual = queue.name(); // later queues must name the interface the first one created
      }
      return List.copyOf(opened);
    } catch (IOException | RuntimeException e) {
      opened.forEach(LinuxTunDevice::close);
      throw e;
    }
  }

  static void checkName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name '" + name + "' is " + bytes.length
          + " bytes; Linux allows at most " + (IFNAMSIZ - 1));
    }
    if (name.equals(".") || name.equals("..") || name.chars().anyMatch(c -> c == '/' || c == ':'
        || Character.isWhitespace(c) || c < 0x20)) {
      throw new IllegalArgumentException("interface name '" + name
          + "' is not valid: no '/', ':', spaces or control characters, and not '.' or '..'");
    }
  }

  private static LinuxTunDevice attach(String requested, boolean multiQueue, boolean virtio) throws IOException {
    String name = requested == null ? "" : requested;
    if (!name.isEmpty()) {
      checkName(name);
    }
    int raw = Libc.open(CLONE_DEVICE, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
    if (raw < 0) {
      int errno = Libc.lastErrno();
      throw new PosixException("cannot open " + CLONE_DEVICE, errno, switch (errno) {
        case Errno.ENOENT, Errno.ENODEV -> "the tun driver is missing: load it with 'modprobe tun'"
            + " and check that " + CLONE_DEVICE + " exists (in containers, pass the device in)";
        case Errno.EACCES, Errno.EPERM -> "run as root or grant CAP_NET_ADMIN";
        default -> null;
      });
    }
    String actual;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
      ifr.setString(0, name, StandardCharsets.UTF_8);
      short flags = (short) (IFF_TUN | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0) | (virtio ? IFF_VNET_HDR : 0));
      ifr.set(JAVA_SHORT, IFREQ_FLAGS_OFFSET, flags);
      if (Libc.ioctl(raw, TUNSETIFF, ifr) < 0) {
        int errno = Libc.lastErrno();
        Libc.close(raw);
        throw new PosixException("cannot create TUN interface '" + name + "' (TUNSETIFF)", errno,
            hintForSetIff(errno, name, multiQueue));
      }
      actual = ifr.getString(0, StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      Libc.close(raw);
      throw e;
    }
    return new LinuxTunDevice(NonBlockingFd.adopt(raw, "TUN " + actual), actual, virtio);
  }

  private static String hintForSetIff(int errno, String name, boolean multiQueue) {
    return switch (errno) {
      case Errno.EPERM, Errno.EACCES -> "run as root or grant CAP_NET_ADMIN";
      case Errno.EBUSY -> "an interface named '" + name + "' exists and is in use"
          + (multiQueue ? " or was created without IFF_MULTI_QUEUE" : " (by another process, or as multi-queue)")
          + "; pick another name or check 'ip link show " + name + "'";
      case Errno.EINVAL -> "an interface named '" + name + "' exists and is not a TUN device of the"
          + " same kind (TAP, or different queue mode), or the name is invalid";
      default -> null;
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int read(PacketBatch batch, int timeoutMillis) throws IOException {
    int room = batch.bufferSize() - batch.headroom();
    int n = 0;
    fd.enter();
    try {
      while (n < batch.slots()) {
        long got = Libc.read(fd.fd(), batch.segmentFrom(n, batch.headroom()), room);
        if (got > room) {
          throw new IllegalStateException("TUN " + name + " returned a " + got + "-byte packet for a "
              + room + "-byte slot; size batch buffers to the MTU plus headroom");
        }
        if (got > 0) {
          batch.set(n, batch.headroom(), (int) got);
          batch.remote(n, null);
          n++;
          continue;
        }
        int errno = got == 0 ? Errno.EAGAIN : Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno != Errno.EAGAIN) {
          throw new PosixException("read from TUN " + name + " failed", errno,
              errno == Errno.EBADFD ? "the interface was deleted while open" : null);
        }
        if (n > 0 || !fd.awaitReadable(timeoutMillis)) {
          break;
        }
      }
    } finally {
      fd.exit();
    }
    batch.count(n);
    return n;
  }

  @Override
  public boolean virtioHeaders() {
    return virtioHeaders;
  }

  @Override
  public int write(PacketBatch batch, int from, int to) throws IOException {
    int accepted = 0;
    int header = virtioHeaders ? VirtioNetHeader.SIZE : 0;
    fd.enter();
    try {
      for (int i = from; i < to; i++) {
        int start = batch.offset(i) - header;
        if (header > 0) {
          // A plain packet: an all-zero header in the bytes before it (the caller's headroom).
          java.util.Arrays.fill(batch.buffer(i), start, start + header, (byte) 0);
        }
        long put = Libc.write(fd.fd(), batch.segmentFrom(i, start), batch.length(i) + header);
        if (put >= 0) {
          accepted++;
          continue;
        }
        int errno = Libc.lastErrno();
        switch (errno) {
          case Errno.EINTR -> i--; // retry the same packet
          case Errno.EINVAL, Errno.EFAULT, Errno.EMSGSIZE -> rejectedWrites.incrementAndGet();
          case Errno.EAGAIN -> {
            if (!fd.awaitWritable(1000)) {
              throw new PosixException("write to TUN " + name + " stayed blocked for 1 s", errno);
            }
            i--;
          }
          default -> throw new PosixException("write to TUN " + name + " failed", errno,
              errno == Errno.EIO ? "is the interface up? ('ip link set " + name + " up')" : null);
        }
      }
    } finally {
      fd.exit();
    }
    return accepted;
  }

  @Override
  public boolean writeFrame(PacketBatch batch, int slot) throws IOException {
    if (!virtioHeaders) {
      throw new UnsupportedOperationException("TUN " + name + " has no virtio headers");
    }
    fd.enter();
    try {
      for (int attempt = 0; ; attempt++) {
        if (Libc.write(fd.fd(), batch.segmentFrom(slot, batch.offset(slot)), batch.length(slot)) >= 0) {
          return true;
        }
        int errno = Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno == Errno.EAGAIN && attempt < 100 && fd.awaitWritable(10)) {
          continue;
        }
        rejectedWrites.incrementAndGet();
        return false;
      }
    } finally {
      fd.exit();
    }
  }

  @Override
  public long rejectedWrites() {
    return rejectedWrites.get();
  }

  @Override
  public void close() {
    fd.close();
  }

  @Override
  public String toString() {
    return "TUN " + name + (fd.isOpen() ? "" : " (closed)");
  }
}
