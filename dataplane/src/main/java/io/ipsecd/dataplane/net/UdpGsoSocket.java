package io.ipsecd.dataplane.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.posix.Errno;
import io.ipsecd.dataplane.posix.Libc;
import io.ipsecd.dataplane.posix.NonBlockingFd;
import io.ipsecd.dataplane.posix.PosixException;
import io.ipsecd.dataplane.posix.SockAddr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NAT-T socket (UDP 4500, shared by ESP-in-UDP and IKE) through FFM, so that it can use the
 * kernel's UDP segmentation offloads, which {@code DatagramChannel} cannot reach:
 * <ul>
 *   <li>send: a run of equal-sized ESP packets to one peer leaves in one {@code sendmsg} with a
 *       {@code UDP_SEGMENT} control message; the stack (and a veth) carries it as one large packet
 *       and cuts it into datagrams as late as possible (wireguard-go's technique, 6a84778);</li>
 *   <li>receive: with {@code UDP_GRO} on, the kernel may hand over several same-sized datagrams
 *       of one flow as one buffer plus their size, split again by {@link #segmentSize()}.</li>
 * </ul>
 * One thread sends ESP and one receives; IKE and keepalive sends may come from any thread (they
 * take a lock and allocate, which is fine at IKE's rate). Buffers are native, allocated once.
 */
public final class UdpGsoSocket implements AutoCloseable {
  static final int SOL_UDP = 17;
  static final int UDP_SEGMENT = 103;
  static final int UDP_GRO = 104;
  /** The kernel refuses more segments per GSO send (UDP_MAX_SEGMENTS on older kernels). */
  static final int MAX_SEGMENTS = 64;
  /** A GSO send is one UDP datagram to the stack: its payload stays below 64 KiB. */
  static final int MAX_GSO_BYTES = 65_000;
  private static final int BUFFER_BYTES = 65_536;
  private static final int MSGHDR = 56, IOVEC = 16, CONTROL = 64;
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;

  /** A destination encoded once into native memory. */
  public static final class Peer {
    private final InetSocketAddress address;
    private final MemorySegment sockaddr;
    private final int length;

    private Peer(InetSocketAddress address) {
      this.address = address;
      this.sockaddr = SockAddr.encode(address, Arena.ofAuto());
      this.length = (int) sockaddr.byteSize();
    }

    public InetSocketAddress address() {
      return address;
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  private final NonBlockingFd fd;
  private final InetSocketAddress local;
  private volatile boolean gso = true;
  private final boolean gro;
  private final AtomicLong sendDrops = new AtomicLong();
  // Send side: the ESP-sending thread only.
  private final MemorySegment sendMsg;
  private final MemorySegment sendIov;
  private final MemorySegment sendBuf;
  private final MemorySegment sendControl;
  // Receive side: the receiving thread only.
  private final MemorySegment recvMsg;
  private final MemorySegment recvIov;
  private final MemorySegment recvBuf;
  private final MemorySegment recvControl;
  private final MemorySegment recvName;
  private final MemorySegment lastName;
  private int lastNameLength = -1;
  private InetSocketAddress lastRemote;
  private int segmentSize;

  private UdpGsoSocket(NonBlockingFd fd, InetSocketAddress local, boolean gro) {
    this.fd = fd;
    this.local = local;
    this.gro = gro;
    Arena arena = Arena.ofAuto();
    sendMsg = arena.allocate(MSGHDR, 8);
    sendIov = arena.allocate(IOVEC, 8);
    sendBuf = arena.allocate(BUFFER_BYTES, 64);
    sendControl = arena.allocate(CONTROL, 8);
    recvMsg = arena.allocate(MSGHDR, 8);
    recvIov = arena.allocate(IOVEC, 8);
    recvBuf = arena.allocate(BUFFER_BYTES, 64);
    recvControl = arena.allocate(CONTROL, 8);
    recvName = arena.allocate(SockAddr.STORAGE_SIZE, 8);
    lastName = arena.allocate(SockAddr.STORAGE_SIZE, 8);
    sendIov.set(ADDRESS, 0, sendBuf);
    sendMsg.set(ADDRESS, 16, sendIov);
    sendMsg.set(JAVA_LONG, 24, 1L);
    recvIov.set(ADDRESS, 0, recvBuf);
    recvIov.set(JAVA_LONG, 8, BUFFER_BYTES);
    recvMsg.set(ADDRESS, 16, recvIov);
    recvMsg.set(JAVA_LONG, 24, 1L);
  }

  /** Binds {@code local} (port 0 picks a free one) and turns on UDP GRO where the kernel has it. */
  public static UdpGsoSocket bind(InetSocketAddress local) throws IOException {
    boolean ipv6 = local.getAddress() instanceof Inet6Address;
    int raw = Libc.socket(ipv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
    if (raw < 0) {
      throw new PosixException("cannot open the NAT-T socket", Libc.lastErrno());
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment value = arena.allocate(JAVA_INT);
      Libc.sizeBuffers(raw, SOCKET_BUFFER_BYTES);
      value.set(JAVA_INT, 0, 1);
      boolean gro = Libc.setsockopt(raw, SOL_UDP, UDP_GRO, value, 4) == 0;
      MemorySegment addr = SockAddr.encode(local, arena);
      if (Libc.bind(raw, addr, (int) addr.byteSize()) < 0) {
        int errno = Libc.lastErrno();
        Libc.close(raw);
        throw new PosixException("cannot bind the NAT-T socket to " + local, errno, errno == Errno.EADDRINUSE
            ? "is another IKE daemon (charon, pluto) holding the port? check 'ss -ulpn'" : null);
      }
      MemorySegment name = arena.allocate(SockAddr.STORAGE_SIZE, 8);
      MemorySegment nameLength = arena.allocate(JAVA_INT);
      nameLength.set(JAVA_INT, 0, SockAddr.STORAGE_SIZE);
      Libc.getsockname(raw, name, nameLength);
      InetSocketAddress bound = SockAddr.decode(name, nameLength.get(JAVA_INT, 0));
      return new UdpGsoSocket(NonBlockingFd.adopt(raw, "NAT-T socket " + bound), bound, gro);
    }
  }

  public static Peer peer(InetSocketAddress address) {
    return new Peer(address);
  }

  public InetSocketAddress localAddress() {
    return local;
  }

  public boolean isOpen() {
    return fd.isOpen();
  }

  /** Sends that found no buffer space (EAGAIN/ENOBUFS): dropped, as ESP tolerates loss. */
  public long sendDrops() {
    return sendDrops.get();
  }

  /**
   * Sends the ESP packets in {@code slots[from, to)} of {@code batch}, in order, to {@code peer},
   * coalescing each run of equal-sized packets (the last of a run may be shorter) into one
   * segmented send. Returns the packets handed to the kernel.
   */
  public int sendEsp(PacketBatch batch, int[] slots, int from, int to, Peer peer) throws IOException {
    int sent = 0;
    int i = from;
    while (i < to) {
      int size = batch.length(slots[i]);
      int total = 0;
      int count = 0;
      // Take packets while they have the run's size; a shorter one ends the run (GSO allows that).
      while (i < to && count < MAX_SEGMENTS && (count == 0 || gso)) {
        int len = batch.length(slots[i]);
        if (count > 0 && (len > size || total + len > MAX_GSO_BYTES)) {
          break;
        }
        MemorySegment.copy(batch.buffer(slots[i]), batch.offset(slots[i]), sendBuf, JAVA_BYTE, total, len);
        total += len;
        count++;
        i++;
        if (len < size) {
          break;
        }
      }
      sent += sendStaged(total, count > 1 ? size : 0, peer) ? count : 0;
    }
    return sent;
  }

  private boolean sendStaged(int total, int segment, Peer peer) throws IOException {
    sendMsg.set(ADDRESS, 0, peer.sockaddr);
    sendMsg.set(JAVA_INT, 8, peer.length);
    sendIov.set(JAVA_LONG, 8, total);
    if (segment > 0) {
      sendControl.set(JAVA_LONG, 0, 16 + 2); // CMSG_LEN(sizeof(uint16_t))
      sendControl.set(JAVA_INT, 8, SOL_UDP);
      sendControl.set(JAVA_INT, 12, UDP_SEGMENT);
      sendControl.set(JAVA_SHORT, 16, (short) segment);
      sendMsg.set(ADDRESS, 32, sendControl);
      sendMsg.set(JAVA_LONG, 40, 24L); // CMSG_SPACE(2)
    } else {
      sendMsg.set(ADDRESS, 32, MemorySegment.NULL);
      sendMsg.set(JAVA_LONG, 40, 0L);
    }
    fd.enter();
    try {
      while (true) {
        if (Libc.sendmsg(fd.fd(), sendMsg, 0) >= 0) {
          return true;
        }
        int errno = Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
          sendDrops.incrementAndGet();
          return false;
        }
        if (segment > 0 && (errno == Errno.EIO || errno == Errno.EINVAL)) {
          // No segmentation offload on this path (wireguard-go sees EIO without checksum offload):
          // from now on one datagram per send. This batch's run is lost; ESP tolerates that.
          gso = false;
          return false;
        }
        throw new PosixException("cannot send ESP to " + peer, errno);
      }
    } finally {
      fd.exit();
    }
  }

  /** Sends an IKE message behind the non-ESP marker; allocates and locks, fine at IKE's rate. */
  public synchronized void sendIke(byte[] message, int off, int len, InetSocketAddress peer) throws IOException {
    byte[] datagram = new byte[UdpEncap.NON_ESP_MARKER_LENGTH + len];
    System.arraycopy(message, off, datagram, UdpEncap.NON_ESP_MARKER_LENGTH, len);
    sendSmall(datagram, peer);
  }

  /** Sends a NAT-keepalive (RFC 3948 §2.3). */
  public synchronized void sendKeepalive(InetSocketAddress peer) throws IOException {
    sendSmall(new byte[] {UdpEncap.KEEPALIVE_BYTE}, peer);
  }

  private void sendSmall(byte[] datagram, InetSocketAddress peer) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment addr = SockAddr.encode(peer, arena);
      fd.enter();
      try {
        for (int attempt = 0; ; attempt++) {
          if (Libc.sendto(fd.fd(), MemorySegment.ofArray(datagram), datagram.length, 0, addr, (int) addr.byteSize()) >= 0) {
            return;
          }
          int errno = Libc.lastErrno();
          if ((errno == Errno.EAGAIN || errno == Errno.EINTR) && attempt < 10) {
            fd.awaitWritable(100);
            continue;
          }
          throw new PosixException("cannot send to " + peer + " from " + local, errno);
        }
      } finally {
        fd.exit();
      }
    }
  }

  /**
   * Receives one (possibly GRO-coalesced) buffer, waiting up to {@code timeoutMillis} (negative:
   * no limit). Returns its length, 0 on timeout; then {@link #segmentSize()} says how it splits.
   */
  public int receive(int timeoutMillis) throws IOException {
    fd.enter();
    try {
      while (true) {
        recvMsg.set(ADDRESS, 0, recvName);
        recvMsg.set(JAVA_INT, 8, SockAddr.STORAGE_SIZE);
        recvMsg.set(ADDRESS, 32, recvControl);
        recvMsg.set(JAVA_LONG, 40, (long) CONTROL);
        long got = Libc.recvmsg(fd.fd(), recvMsg, 0);
        if (got >= 0) {
          segmentSize = groSegmentSize();
          return (int) got;
        }
        int errno = Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno != Errno.EAGAIN) {
          throw new PosixException("receive on " + fd.description() + " failed", errno);
        }
        if (!fd.awaitReadable(timeoutMillis)) {
          return 0;
        }
      }
    } finally {
      fd.exit();
    }
  }

  private int groSegmentSize() {
    long controlLength = recvMsg.get(JAVA_LONG, 40);
    long p = 0;
    while (p + 16 <= controlLength) {
      long cmsgLen = recvControl.get(JAVA_LONG, p);
      if (cmsgLen < 16) {
        break;
      }
      if (recvControl.get(JAVA_INT, p + 8) == SOL_UDP && recvControl.get(JAVA_INT, p + 12) == UDP_GRO) {
        return recvControl.get(JAVA_INT, p + 16);
      }
      p += (cmsgLen + 7) & ~7L;
    }
    return 0;
  }

  /** Size of each datagram in the last received buffer (the last may be shorter); 0: one datagram. */
  public int segmentSize() {
    return segmentSize;
  }

  /** True when the kernel accepted UDP_GRO on this socket. */
  public boolean gro() {
    return gro;
  }

  /** The sender of the last receive (the same object while the sender stays the same). */
  public InetSocketAddress remote() {
    int length = recvMsg.get(JAVA_INT, 8);
    if (length != lastNameLength || MemorySegment.mismatch(recvName, 0, length, lastName, 0, length) != -1) {
      MemorySegment.copy(recvName, 0, lastName, 0, length);
      lastNameLength = length;
      lastRemote = SockAddr.decode(recvName, length);
    }
    return lastRemote;
  }

  /** Copies bytes [offset, offset + length) of the last receive into a batch slot at its headroom. */
  public void copyTo(int offset, int length, PacketBatch batch, int slot) {
    MemorySegment.copy(recvBuf, JAVA_BYTE, offset, batch.buffer(slot), batch.headroom(), length);
    batch.set(slot, batch.headroom(), length);
  }

  @Override
  public void close() {
    fd.close();
  }

  @Override
  public String toString() {
    return fd.description();
  }
}
