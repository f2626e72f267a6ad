package io.ipsecd.dataplane.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.posix.Errno;
import io.ipsecd.dataplane.posix.Libc;
import io.ipsecd.dataplane.posix.MessageVector;
import io.ipsecd.dataplane.posix.NonBlockingFd;
import io.ipsecd.dataplane.posix.PosixException;
import io.ipsecd.dataplane.posix.SockAddr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ESP straight over IP (protocol 50), for peers with no NAT between them: a raw socket
 * {@code socket(AF_INET[6], SOCK_RAW, IPPROTO_ESP)} through FFM, since the JDK has no raw sockets.
 *
 * <p>Sending, the kernel builds the outer IP header (source from {@link #open}'s bind address or
 * the route). Receiving, an IPv4 raw socket hands over the whole datagram, header included; this
 * class strips it (IHL) so that slots start at the SPI, exactly like the UDP path. IPv6 raw
 * sockets never include the header. The kernel gives every raw ESP socket a copy of every ESP
 * packet for the host, and also passes the packet on to its own (here absent) ESP handler.
 *
 * <p>Sends go out from any thread with a pre-encoded {@link Peer}; one thread receives.
 */
public final class RawEspSocket implements AutoCloseable {
  public static final int IPPROTO_ESP = 50;
  private static final int IPV4_MIN_HEADER = 20;
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;

  /** A destination encoded once into native memory, so sends don't re-encode or allocate. */
  public static final class Peer {
    private final InetAddress address;
    private final MemorySegment sockaddr;
    private final int length;

    private Peer(InetAddress address) {
      this.address = address;
      this.sockaddr = SockAddr.encode(new InetSocketAddress(address, 0), Arena.ofAuto());
      this.length = (int) sockaddr.byteSize();
    }

    public InetAddress address() {
      return address;
    }

    @Override
    public String toString() {
      return address.getHostAddress();
    }
  }

  private final NonBlockingFd fd;
  private final boolean ipv6;
  private final InetAddress local;
  // Receive-side state, touched only by the receiving thread.
  private final MemorySegment source = Arena.ofAuto().allocate(SockAddr.STORAGE_SIZE, 8);
  private final MemorySegment sourceLength = Arena.ofAuto().allocate(JAVA_INT);
  private final MemorySegment lastSource = Arena.ofAuto().allocate(SockAddr.STORAGE_SIZE, 8);
  private int lastSourceLength = -1;
  private InetSocketAddress lastRemote;
  private MessageVector receiveVector; // created on first batched receive, sized to the batch
  private final ThreadLocal<MessageVector> sendVectors = new ThreadLocal<>();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong sendDrops = new AtomicLong();

  private RawEspSocket(NonBlockingFd fd, boolean ipv6, InetAddress local) {
    this.fd = fd;
    this.ipv6 = ipv6;
    this.local = local;
  }

  /**
   * Opens a raw ESP socket of {@code local}'s family bound to it; a wildcard address
   * ({@code 0.0.0.0}, {@code ::}) receives ESP for every local address of that family.
   */
  public static RawEspSocket open(InetAddress local) throws IOException {
    boolean ipv6 = local instanceof Inet6Address;
    int raw = Libc.socket(SockAddr.family(local), Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, IPPROTO_ESP);
    if (raw < 0) {
      int errno = Libc.lastErrno();
      throw new PosixException("cannot open a raw ESP socket (" + (ipv6 ? "IPv6" : "IPv4") + ")", errno,
          errno == Errno.EPERM || errno == Errno.EACCES ? "raw sockets need root or CAP_NET_RAW;"
              + " without them use ESP-in-UDP on port 4500" : null);
    }
    // With a full receive queue the kernel counts ESP as an unknown protocol and answers ICMP
    // protocol-unreachable (seen at ~1 Gbit/s with the default ~200 KB): give it room.
    Libc.sizeBuffers(raw, SOCKET_BUFFER_BYTES);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment addr = SockAddr.encode(new InetSocketAddress(local, 0), arena);
      if (Libc.bind(raw, addr, (int) addr.byteSize()) < 0) {
        int errno = Libc.lastErrno();
        Libc.close(raw);
        throw new PosixException("cannot bind the raw ESP socket to " + local.getHostAddress(), errno,
            errno == Errno.EADDRNOTAVAIL ? "is " + local.getHostAddress() + " assigned to an interface?" : null);
      }
    }
    return new RawEspSocket(NonBlockingFd.adopt(raw, "raw ESP socket " + local.getHostAddress()), ipv6, local);
  }

  public InetAddress localAddress() {
    return local;
  }

  public Peer peer(InetAddress remote) {
    if ((remote instanceof Inet6Address) != ipv6) {
      throw new IllegalArgumentException("peer " + remote.getHostAddress() + " is not of the family of "
          + local.getHostAddress());
    }
    return new Peer(remote);
  }

  /**
   * Sends the ESP packet in {@code slot} (SPI first) to {@code peer}.
   *
   * @return false if the kernel had no buffer space right now (counted in {@link #sendDrops()});
   *     ESP tolerates loss, so the caller drops rather than waits
   */
  public boolean send(PacketBatch batch, int slot, Peer peer) throws IOException {
    fd.enter();
    try {
      while (true) {
        long sent = Libc.sendto(fd.fd(), batch.segmentFrom(slot, batch.offset(slot)), batch.length(slot), 0,
            peer.sockaddr, peer.length);
        if (sent >= 0) {
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
        throw new PosixException("cannot send ESP to " + peer, errno,
            errno == Errno.EMSGSIZE ? "packet of " + batch.length(slot) + " bytes exceeds the path MTU" : null);
      }
    } finally {
      fd.exit();
    }
  }

  /**
   * Sends the ESP packets in slots [from, to) to {@code peer} with as few {@code sendmmsg} calls
   * as the kernel allows (packets are staged through native memory, see {@link MessageVector}).
   *
   * @return packets sent; the rest found no buffer space and are counted in {@link #sendDrops()}
   */
  public int send(PacketBatch batch, int from, int to, Peer peer) throws IOException {
    MessageVector vector = sendVectors.get();
    if (vector == null || vector.capacity() < batch.slots()) {
      vector = new MessageVector(batch.slots(), batch.bufferSize());
      sendVectors.set(vector);
    }
    int count = to - from;
    for (int i = 0; i < count; i++) {
      vector.stage(i, batch, from + i, peer.sockaddr, peer.length);
    }
    int sent = 0;
    fd.enter();
    try {
      while (sent < count) {
        int n = vector.send(fd.fd(), sent, count - sent);
        if (n > 0) {
          sent += n;
          continue;
        }
        int errno = n == 0 ? Errno.EAGAIN : Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
          sendDrops.addAndGet(count - sent);
          return sent;
        }
        throw new PosixException("cannot send ESP to " + peer, errno,
            errno == Errno.EMSGSIZE ? "a packet exceeds the path MTU" : null);
      }
    } finally {
      fd.exit();
    }
    return sent;
  }

  /**
   * Like {@link #receive}, but with one {@code recvmmsg} per batch instead of one
   * {@code recvfrom} per packet, at the cost of a copy out of native staging buffers.
   */
  public int receiveBatched(PacketBatch batch, int timeoutMillis) throws IOException {
    if (receiveVector == null || receiveVector.capacity() < batch.slots()) {
      receiveVector = new MessageVector(batch.slots(), batch.bufferSize() - batch.headroom());
    }
    MessageVector vector = receiveVector;
    int n = 0;
    fd.enter();
    try {
      while (true) {
        int got = vector.receive(fd.fd(), batch.slots());
        if (got > 0) {
          for (int i = 0; i < got; i++) {
            int skip = ipv6 ? 0 : ipv4HeaderLength(vector, i);
            if (skip < 0) {
              malformed.incrementAndGet();
              continue;
            }
            vector.copyTo(i, skip, vector.length(i) - skip, batch, n);
            batch.remote(n, remote(vector.name(i), vector.nameLength(i)));
            n++;
          }
          if (n > 0) {
            break;
          }
          continue;
        }
        int errno = Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno != Errno.EAGAIN) {
          throw new PosixException("receive on " + fd.description() + " failed", errno);
        }
        if (!fd.awaitReadable(timeoutMillis)) {
          break;
        }
      }
    } finally {
      fd.exit();
    }
    batch.count(n);
    return n;
  }

  private static int ipv4HeaderLength(MessageVector vector, int i) {
    int length = vector.length(i);
    int first = vector.byteAt(i, 0);
    int headerLength = (first & 0x0f) * 4;
    if (length < IPV4_MIN_HEADER || (first & 0xf0) != 0x40 || headerLength < IPV4_MIN_HEADER || headerLength > length) {
      return -1;
    }
    return headerLength;
  }

  /**
   * Receives up to {@code batch.slots()} ESP packets, waiting up to {@code timeoutMillis} for the
   * first (negative: no limit). Each slot starts at the SPI (IPv4 header stripped) and has its
   * sender in {@code remote(slot)} (port 0). Sets {@link PacketBatch#count()}.
   *
   * @return packets received, 0 on timeout
   */
  public int receive(PacketBatch batch, int timeoutMillis) throws IOException {
    int room = batch.bufferSize() - batch.headroom();
    int n = 0;
    fd.enter();
    try {
      while (n < batch.slots()) {
        sourceLength.set(JAVA_INT, 0, SockAddr.STORAGE_SIZE);
        long got = Libc.recvfrom(fd.fd(), batch.segmentFrom(n, batch.headroom()), room, 0, source, sourceLength);
        if (got >= 0) {
          if (accept(batch, n, (int) got)) {
            n++;
          }
          continue;
        }
        int errno = Libc.lastErrno();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno != Errno.EAGAIN) {
          throw new PosixException("receive on " + fd.description() + " failed", errno);
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

  private boolean accept(PacketBatch batch, int slot, int length) {
    int start = batch.headroom();
    if (!ipv6) {
      byte[] buf = batch.buffer(slot);
      int headerLength = (buf[start] & 0x0f) * 4;
      if (length < IPV4_MIN_HEADER || (buf[start] & 0xf0) != 0x40 || headerLength < IPV4_MIN_HEADER
          || headerLength > length) {
        malformed.incrementAndGet();
        return false;
      }
      start += headerLength;
      length -= headerLength;
    }
    batch.set(slot, start, length);
    batch.remote(slot, remote(source, sourceLength.get(JAVA_INT, 0)));
    return true;
  }

  /** The sender of a datagram; reuses the previous object while the sender stays the same. */
  private InetSocketAddress remote(MemorySegment source, int length) {
    if (length != lastSourceLength || MemorySegment.mismatch(source, 0, length, lastSource, 0, length) != -1) {
      MemorySegment.copy(source, 0, lastSource, 0, length);
      lastSourceLength = length;
      lastRemote = SockAddr.decode(source, length);
    }
    return lastRemote;
  }

  /** IPv4 datagrams dropped because their header made no sense. */
  public long malformed() {
    return malformed.get();
  }

  /** Sends refused for lack of kernel buffer space (EAGAIN/ENOBUFS). */
  public long sendDrops() {
    return sendDrops.get();
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
