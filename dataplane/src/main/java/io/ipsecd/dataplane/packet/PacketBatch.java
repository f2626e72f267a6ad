package io.ipsecd.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A reusable set of packet buffers that moves through the data plane without per-packet allocation,
 * in the spirit of wireguard-go's {@code bufs [][]byte, sizes []int, offset int}.
 *
 * <p>Each slot is a {@code byte[]} (the form SunJCE's AES-GCM is fastest on) with a per-slot
 * {@link #offset(int) offset} and {@link #length(int) length}. Receivers fill slots starting at
 * {@link #headroom()}, leaving room in front to prepend outer headers (ESP header, IV) in place;
 * senders take each slot's [offset, offset+length) as is. A batch belongs to one thread at a time.
 *
 * <p>I/O code reaches the same bytes as a {@link MemorySegment} (for FFM calls) or a
 * {@link ByteBuffer} (for NIO channels); both views are created once per slot and re-sliced only
 * when a slot's offset changes, so steady-state I/O allocates nothing.
 */
public final class PacketBatch {
  private final byte[][] buffers;
  private final MemorySegment[] arrays;
  private final MemorySegment[] tails;
  private final int[] tailOffsets;
  private final ByteBuffer[] views;
  private final int[] offsets;
  private final int[] lengths;
  private final InetSocketAddress[] remotes;
  private final int headroom;
  private int count;

  private PacketBatch(int slots, int bufferSize, int headroom) {
    this.buffers = new byte[slots][bufferSize];
    this.arrays = new MemorySegment[slots];
    this.tails = new MemorySegment[slots];
    this.tailOffsets = new int[slots];
    this.views = new ByteBuffer[slots];
    this.offsets = new int[slots];
    this.lengths = new int[slots];
    this.remotes = new InetSocketAddress[slots];
    this.headroom = headroom;
    for (int i = 0; i < slots; i++) {
      arrays[i] = MemorySegment.ofArray(buffers[i]);
      tails[i] = arrays[i];
      views[i] = ByteBuffer.wrap(buffers[i]);
      offsets[i] = headroom;
    }
  }

  /**
   * @param slots packets per batch (a syscall batch; 32-128 is typical)
   * @param bufferSize bytes per slot, headroom included; 65535 + headroom holds any IP packet
   * @param headroom bytes left free before received data
   */
  public static PacketBatch allocate(int slots, int bufferSize, int headroom) {
    if (slots < 1 || headroom < 0 || bufferSize <= headroom) {
      throw new IllegalArgumentException("need slots >= 1 and 0 <= headroom < bufferSize, got slots="
          + slots + " bufferSize=" + bufferSize + " headroom=" + headroom);
    }
    return new PacketBatch(slots, bufferSize, headroom);
  }

  public int slots() {
    return buffers.length;
  }

  public int bufferSize() {
    return buffers[0].length;
  }

  public int headroom() {
    return headroom;
  }

  /** Slots [0, count) hold packets: set by receivers, or by the producer before a send. */
  public int count() {
    return count;
  }

  public void count(int count) {
    if (count < 0 || count > buffers.length) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + buffers.length);
    }
    this.count = count;
  }

  public byte[] buffer(int slot) {
    return buffers[slot];
  }

  public int offset(int slot) {
    return offsets[slot];
  }

  public int length(int slot) {
    return lengths[slot];
  }

  /** The sender of a received packet (cached by the receiver, so usually the same object), or null. */
  public InetSocketAddress remote(int slot) {
    return remotes[slot];
  }

  /** Places a packet in a slot: bytes [offset, offset+length) of {@link #buffer(int)}. */
  public void set(int slot, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buffers[slot].length) {
      throw new IllegalArgumentException("packet [" + offset + ", +" + length + ") does not fit a "
          + buffers[slot].length + "-byte buffer");
    }
    offsets[slot] = offset;
    lengths[slot] = length;
  }

  public void remote(int slot, InetSocketAddress remote) {
    remotes[slot] = remote;
  }

  /** Copies a packet into a slot at the headroom; a convenience for tests and control traffic. */
  public void put(int slot, byte[] packet, int off, int len) {
    System.arraycopy(packet, off, buffers[slot], headroom, len);
    set(slot, headroom, len);
  }

  /** A copy of the packet in a slot; allocates, so not for the hot path. */
  public byte[] copy(int slot) {
    return java.util.Arrays.copyOfRange(buffers[slot], offsets[slot], offsets[slot] + lengths[slot]);
  }

  /**
   * The slot's buffer from {@code from} to its end, as a heap segment for FFM calls (which take the
   * start address from it and the byte count separately). Re-sliced only when {@code from} changes.
   */
  public MemorySegment segmentFrom(int slot, int from) {
    if (tailOffsets[slot] != from) {
      tails[slot] = arrays[slot].asSlice(from);
      tailOffsets[slot] = from;
    }
    return tails[slot];
  }

  /** The slot's buffer as a ByteBuffer positioned at [offset, offset+length), for NIO sends. */
  public ByteBuffer packetView(int slot) {
    ByteBuffer view = views[slot];
    view.limit(offsets[slot] + lengths[slot]).position(offsets[slot]);
    return view;
  }

  /** The slot's buffer as a ByteBuffer positioned at [headroom, end), for NIO receives. */
  public ByteBuffer receiveView(int slot) {
    ByteBuffer view = views[slot];
    view.limit(view.capacity()).position(headroom);
    return view;
  }
}
