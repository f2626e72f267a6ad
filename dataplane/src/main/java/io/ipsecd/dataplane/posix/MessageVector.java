package io.ipsecd.dataplane.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A {@code struct mmsghdr[]} with its iovecs, address slots and packet buffers, all in native
 * memory allocated once, for {@code recvmmsg}/{@code sendmmsg}: one syscall for many datagrams.
 *
 * <p>Why native staging buffers: the kernel reads packet addresses out of the iovecs, and a
 * {@code byte[]}'s address can only be passed as a direct argument of a critical call, never
 * stored in memory. So packets are copied between these buffers and a {@link PacketBatch} (a
 * memcpy of ~1.5 KB, small next to a syscall). Not thread-safe: one per sending or receiving thread.
 */
public final class MessageVector {
  // x86-64/arm64 layouts: struct msghdr is 56 bytes, mmsghdr adds msg_len and padding to 64.
  static final int MMSGHDR_SIZE = 64;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_LEN = 56;
  private static final int IOVEC_SIZE = 16;

  private final int capacity;
  private final int bufferSize;
  private final MemorySegment headers;
  private final MemorySegment iovecs;
  private final MemorySegment names;
  private final MemorySegment buffers;
  private final MemorySegment[] nameSlots;
  private final MemorySegment[] headerTails;

  public MessageVector(int capacity, int bufferSize) {
    if (capacity < 1 || bufferSize < 1) {
      throw new IllegalArgumentException("capacity and bufferSize must be positive");
    }
    this.capacity = capacity;
    this.bufferSize = bufferSize;
    Arena arena = Arena.ofAuto(); // freed with this object; no close to forget
    headers = arena.allocate((long) MMSGHDR_SIZE * capacity, 64);
    iovecs = arena.allocate((long) IOVEC_SIZE * capacity, 16);
    names = arena.allocate((long) SockAddr.STORAGE_SIZE * capacity, 16);
    buffers = arena.allocate((long) bufferSize * capacity, 64);
    nameSlots = new MemorySegment[capacity];
    headerTails = new MemorySegment[capacity];
    for (int i = 0; i < capacity; i++) {
      nameSlots[i] = names.asSlice((long) i * SockAddr.STORAGE_SIZE, SockAddr.STORAGE_SIZE);
      headerTails[i] = headers.asSlice(header(i));
      iovecs.set(ADDRESS, (long) i * IOVEC_SIZE, buffers.asSlice((long) i * bufferSize, bufferSize));
      headers.set(ADDRESS, header(i) + MSG_IOV, iovecs.asSlice((long) i * IOVEC_SIZE, IOVEC_SIZE));
      headers.set(JAVA_LONG, header(i) + MSG_IOVLEN, 1L);
    }
  }

  public int capacity() {
    return capacity;
  }

  private static long header(int i) {
    return (long) i * MMSGHDR_SIZE;
  }

  /**
   * Receives up to {@code max} datagrams with one {@code recvmmsg}; returns how many, or -1 with
   * errno in {@link Libc#lastErrno()} (EAGAIN when nothing is queued).
   */
  public int receive(int fd, int max) {
    int n = Math.min(max, capacity);
    for (int i = 0; i < n; i++) {
      iovecs.set(JAVA_LONG, (long) i * IOVEC_SIZE + 8, bufferSize);
      headers.set(ADDRESS, header(i) + MSG_NAME, nameSlots[i]);
      headers.set(JAVA_INT, header(i) + MSG_NAMELEN, SockAddr.STORAGE_SIZE);
    }
    return Libc.recvmmsg(fd, headers, n, 0);
  }

  /** Bytes of datagram {@code i} of the last receive. */
  public int length(int i) {
    return headers.get(JAVA_INT, header(i) + MSG_LEN);
  }

  /** The sender address of datagram {@code i} as the kernel wrote it: see {@link #nameLength}. */
  public MemorySegment name(int i) {
    return nameSlots[i];
  }

  public int nameLength(int i) {
    return headers.get(JAVA_INT, header(i) + MSG_NAMELEN);
  }

  /** Byte {@code offset} of datagram {@code i} of the last receive, for header checks before copying. */
  public byte byteAt(int i, int offset) {
    return buffers.get(JAVA_BYTE, (long) i * bufferSize + offset);
  }

  /** Copies {@code length} bytes of datagram {@code i}, from {@code skip}, into a batch slot at its headroom. */
  public void copyTo(int i, int skip, int length, PacketBatch batch, int slot) {
    MemorySegment.copy(buffers, JAVA_BYTE, (long) i * bufferSize + skip, batch.buffer(slot), batch.headroom(), length);
    batch.set(slot, batch.headroom(), length);
  }

  /**
   * Stages slot {@code slot} of {@code batch} as message {@code i}, addressed to {@code name}
   * ({@code nameLength} bytes of native sockaddr, kept alive by the caller until the send).
   */
  public void stage(int i, PacketBatch batch, int slot, MemorySegment name, int nameLength) {
    int length = batch.length(slot);
    if (length > bufferSize) {
      throw new IllegalArgumentException("packet of " + length + " bytes exceeds the " + bufferSize + "-byte send buffer");
    }
    MemorySegment.copy(batch.buffer(slot), batch.offset(slot), buffers, JAVA_BYTE, (long) i * bufferSize, length);
    iovecs.set(JAVA_LONG, (long) i * IOVEC_SIZE + 8, length);
    headers.set(ADDRESS, header(i) + MSG_NAME, name);
    headers.set(JAVA_INT, header(i) + MSG_NAMELEN, nameLength);
  }

  /**
   * Sends staged messages [from, from + count) with one {@code sendmmsg}; returns how many the
   * kernel took (it may take fewer), or -1 with errno in {@link Libc#lastErrno()}.
   */
  public int send(int fd, int from, int count) {
    return Libc.sendmmsg(fd, headerTails[from], count, 0);
  }
}
