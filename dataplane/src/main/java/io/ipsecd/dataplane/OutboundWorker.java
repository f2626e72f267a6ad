package io.ipsecd.dataplane;

import io.ipsecd.dataplane.DropCounters.Reason;
import io.ipsecd.dataplane.net.RawEspSocket;
import io.ipsecd.dataplane.net.UdpGsoSocket;
import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.spd.FlowKey;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.dataplane.spd.PolicyTable;
import io.ipsecd.dataplane.tun.TunDevice;
import io.ipsecd.dataplane.tun.VirtioNetHeader;
import io.ipsecd.esp.EspStatus;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.TrafficSelector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound path of one interface on one platform thread: read a batch from its TUN, look each
 * packet up among the policies of that interface (routing chose the interface, so two route-based
 * connections with the same any-to-any selectors stay apart), clamp a SYN's MSS if the policy asks,
 * encrypt it in place (the ESP header goes into the slot's headroom, the trailer after the
 * packet), then send the batch's ESP packets in order, each run of equal-sized packets to one peer
 * as one segmented UDP send ({@link UdpGsoSocket}). An SA serves the policies of one interface, so
 * this thread is the only one that encrypts with it: it owns its sequence number, and packets leave
 * in the order the TUN gave them. Workers of several interfaces share the NAT-T socket, whose send
 * side takes one sender at a time: they take turns through a lock, uncontended with one busy
 * interface. Steady state allocates nothing: the batch, the flow key and the scratch slot are
 * reused. Not on the hot path: acquires, expiry events and ICMP errors, which allocate or take a lock.
 */
final class OutboundWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(OutboundWorker.class);
  /** How long a read waits: bounds the delay before held TRAP packets go out once their SA is up. */
  private static final int READ_TIMEOUT_MILLIS = 50;
  /** Room for every segment of one 64 KiB TSO frame down to an MSS of ~530 bytes. */
  private static final int BATCH_SLOTS = 128;
  private static final int FRAME_SLOTS = 4;
  private static final long ICMP_INTERVAL_NANOS = 1_000_000L; // at most 1000 ICMP errors per second

  private final TunDevice tun;
  private final int interfaceId;
  private final ReentrantLock udpSendLock;
  private final SecurityDatabase db;
  private final UdpGsoSocket udp;
  private final RawEspSocket raw;
  private final TunWriter tunWriter;
  private final EventDispatcher events;
  private final DropCounters drops;
  private final Quiescence quiescence = new Quiescence();
  private final FlowKey key = new FlowKey();
  private final PacketBatch batch;
  /** What the TUN reads into: the batch itself, or, with offloads, whole frames to cut into it. */
  private final PacketBatch reads;
  private final PacketBatch scratch;
  /** Encrypted slots of the current batch waiting to be sent, in order, and their SAs. */
  private final int[] pending = new int[BATCH_SLOTS];
  private final SaEntries.Outbound[] pendingSa = new SaEntries.Outbound[BATCH_SLOTS];
  private final int[] single = {0};
  private int pendingCount;
  private long trapGenerationSeen;
  private volatile boolean stopping;
  private long lastIcmpNanos;

  /**
   * @param interfaceId the interface {@code tun} is; only its policies are looked up
   * @param udpSendLock held around every send on {@code udp}, shared by the workers of all interfaces
   */
  OutboundWorker(TunDevice tun, int interfaceId, int slotSize, SecurityDatabase db, UdpGsoSocket udp,
                 ReentrantLock udpSendLock, RawEspSocket raw, TunWriter tunWriter, EventDispatcher events,
                 DropCounters drops) {
    this.tun = tun;
    this.interfaceId = interfaceId;
    this.udpSendLock = udpSendLock;
    this.db = db;
    this.udp = udp;
    this.raw = raw;
    this.tunWriter = tunWriter;
    this.events = events;
    this.drops = drops;
    this.batch = PacketBatch.allocate(BATCH_SLOTS, slotSize, Dataplane.HEADROOM);
    this.reads = tun.virtioHeaders()
        ? PacketBatch.allocate(FRAME_SLOTS, Dataplane.HEADROOM + VirtioNetHeader.SIZE + 65_535 + 64, Dataplane.HEADROOM)
        : batch;
    this.scratch = PacketBatch.allocate(1, slotSize, Dataplane.HEADROOM);
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    db.register(quiescence);
    try {
      while (!stopping) {
        int n;
        try {
          n = tun.read(reads, READ_TIMEOUT_MILLIS);
        } catch (ClosedChannelException e) {
          break; // the TUN was closed: our stop signal
        } catch (IOException e) {
          log.warn("TUN read failed: {}", e.getMessage());
          pause();
          continue;
        }
        quiescence.enter();
        try {
          // Nothing from a batch that failed half-way may leave with this one: its slots are reused.
          java.util.Arrays.fill(pendingSa, 0, pendingCount, null);
          pendingCount = 0;
          SecurityDatabase.Tables tables = db.current();
          long generation = db.trapGeneration();
          if (generation != trapGenerationSeen) {
            trapGenerationSeen = generation;
            flushTraps(tables);
          }
          if (reads == batch) {
            process(tables, n);
          } else {
            segmentAndProcess(tables, n);
          }
        } catch (RuntimeException e) {
          log.error("outbound worker failed on a batch; continuing", e);
        } finally {
          quiescence.exit();
        }
      }
    } finally {
      db.unregister(quiescence);
    }
  }

  private void process(SecurityDatabase.Tables tables, int count) {
    for (int i = 0; i < count; i++) {
      handle(tables, batch, i);
    }
    flushPending();
  }

  /** Offloading TUN: cut each frame into plain packets (TSO segments) in the batch, then process. */
  private void segmentAndProcess(SecurityDatabase.Tables tables, int frames) {
    int used = 0;
    for (int f = 0; f < frames; f++) {
      byte[] buf = reads.buffer(f);
      int off = reads.offset(f);
      int len = reads.length(f);
      int count = VirtioNetHeader.segmentCount(buf, off, len);
      if (count < 0 || count > batch.slots()) {
        drops.count(Reason.MALFORMED_INNER);
        continue;
      }
      if (used + count > batch.slots()) {
        process(tables, used);
        used = 0;
      }
      VirtioNetHeader.split(buf, off, len, batch, used);
      used += count;
    }
    process(tables, used);
  }

  private void handle(SecurityDatabase.Tables tables, PacketBatch b, int slot) {
    byte[] buf = b.buffer(slot);
    int off = b.offset(slot);
    int len = b.length(slot);
    if (!key.parse(buf, off, len)) {
      drops.count(Reason.MALFORMED_INNER);
      return;
    }
    PolicyTable.Entry<PolicyBinding> policy = tables.policies().lookupOutbound(key, interfaceId);
    if (policy == null) {
      // The TUN carries only what routes send in: nothing goes out in clear. A route-based
      // interface exists for its connection's child alone, so what finds no policy there is that
      // child's traffic while it is down: counted as having no SA, like a policy without one.
      drops.count(interfaceId == Policy.MAIN_INTERFACE ? Reason.NO_POLICY : Reason.NO_SA);
      return;
    }
    if (policy.policy().mssClamp() != 0) {
      MssClamp.apply(buf, off, len, policy.policy().mssClamp());
    }
    PolicyBinding binding = policy.binding();
    SaEntries.Outbound sa = binding.outbound();
    TrapQueue trap = binding.trap();
    if (sa == null) {
      if (trap == null) {
        drops.count(Reason.NO_SA);
      } else {
        hold(policy.policy().id(), trap, buf, off, len);
      }
      return;
    }
    if (trap != null && !trap.isEmpty()) {
      drain(sa, trap); // held packets of this flow go first, keeping their order
    }
    if (protect(sa, b, slot)) {
      pending[pendingCount] = slot;
      pendingSa[pendingCount++] = sa;
    }
  }

  /** Encrypts the packet in {@code slot} in place; false (counted) when it is not to be sent. */
  private boolean protect(SaEntries.Outbound sa, PacketBatch b, int slot) {
    byte[] buf = b.buffer(slot);
    int off = b.offset(slot);
    int len = b.length(slot);
    if (len > sa.maxInner() && tooBig(buf, off, len, sa.maxInner())) {
      return false;
    }
    int espOff = off - sa.sa().transform().headerSize();
    EspStatus status = sa.sa().encapsulate(buf, off, len, buf, espOff);
    if (!status.ok()) {
      drops.count(Reason.ENCRYPT_REFUSED);
      if ((status == EspStatus.LIFETIME_EXPIRED || status == EspStatus.SEQUENCE_EXHAUSTED)
          && sa.hardReported().raise()) {
        int spi = sa.spi();
        events.post(l -> l.expired(spi, SaDirection.OUTBOUND, true));
      }
      return false;
    }
    b.set(slot, espOff, sa.sa().length());
    return true;
  }

  /** Raw ESP slots are contiguous runs only when no packet in between was dropped: send by runs. */
  private void sendRaw(int[] slots, int from, int to, RawEspSocket.Peer peer) {
    int start = from;
    while (start < to) {
      int end = start + 1;
      while (end < to && slots[end] == slots[end - 1] + 1) {
        end++;
      }
      if (raw == null) {
        countSendFailures(end - start);
      } else {
        try {
          countSendFailures(end - start - raw.send(batch, slots[start], slots[start] + end - start, peer));
        } catch (IOException e) {
          countSendFailures(end - start);
        }
      }
      start = end;
    }
  }

  private void countSendFailures(int n) {
    for (int i = 0; i < n; i++) {
      drops.count(Reason.SEND_FAILED);
    }
  }

  private void sendRaw(SaEntries.Outbound sa, PacketBatch b, int slot) {
    try {
      if (raw == null || !raw.send(b, slot, sa.rawPeer())) {
        drops.count(Reason.SEND_FAILED);
      }
    } catch (IOException e) {
      drops.count(Reason.SEND_FAILED);
    }
  }

  /**
   * Sends the batch's encrypted packets in order: each run to the same peer as one segmented UDP
   * send, or one {@code sendmmsg} of raw ESP.
   */
  private void flushPending() {
    int start = 0;
    while (start < pendingCount) {
      UdpGsoSocket.Peer udpPeer = pendingSa[start].udpPeer();
      RawEspSocket.Peer rawPeer = pendingSa[start].rawPeer();
      int end = start + 1;
      while (end < pendingCount && pendingSa[end].udpPeer() == udpPeer && pendingSa[end].rawPeer() == rawPeer) {
        end++;
      }
      if (udpPeer != null) {
        sendUdp(batch, pending, start, end, udpPeer);
      } else {
        sendRaw(pending, start, end, rawPeer);
      }
      start = end;
    }
    java.util.Arrays.fill(pendingSa, 0, pendingCount, null); // hold no SA past its batch
    pendingCount = 0;
  }

  private void sendUdp(PacketBatch b, int[] slots, int from, int to, UdpGsoSocket.Peer peer) {
    udpSendLock.lock();
    try {
      int sent = udp.sendEsp(b, slots, from, to, peer);
      for (int i = sent; i < to - from; i++) {
        drops.count(Reason.SEND_FAILED);
      }
    } catch (IOException e) {
      for (int i = from; i < to; i++) {
        drops.count(Reason.SEND_FAILED);
      }
    } finally {
      udpSendLock.unlock();
    }
  }

  /**
   * A packet larger than the SA carries: answer with an ICMP error when its sender asked not to
   * fragment (true: dropped); an IPv4 packet without DF goes on (false) and the outer IP fragments.
   */
  private boolean tooBig(byte[] buf, int off, int len, int mtu) {
    boolean ipv4WithoutDf = (buf[off] & 0xF0) == 0x40 && len >= 20 && (buf[off + 6] & 0x40) == 0;
    if (ipv4WithoutDf) {
      return false;
    }
    drops.count(Reason.TOO_BIG);
    long now = System.nanoTime();
    if (now - lastIcmpNanos < ICMP_INTERVAL_NANOS) {
      return true;
    }
    lastIcmpNanos = now;
    int icmpLen = IcmpTooBig.build(buf, off, len, mtu, scratch.buffer(0), scratch.headroom());
    if (icmpLen > 0) {
      scratch.set(0, scratch.headroom(), icmpLen);
      try {
        tunWriter.write(scratch, 0);
      } catch (IOException e) {
        log.debug("cannot write an ICMP error into the TUN: {}", e.getMessage());
      }
    }
    return true;
  }

  private void hold(int policyId, TrapQueue trap, byte[] buf, int off, int len) {
    if (!trap.offer(buf, off, len)) {
      drops.count(Reason.TRAP_QUEUE_FULL);
    }
    if (trap.acquireDue(System.nanoTime())) {
      TrafficSelector source = host(key.sourceAddress(), key.protocol(), key.sourcePort());
      TrafficSelector destination = host(key.destinationAddress(), key.protocol(), key.destinationPort());
      events.post(l -> l.acquire(policyId, source, destination));
    }
  }

  private static TrafficSelector host(byte[] address, int protocol, int port) {
    try {
      InetAddress a = InetAddress.getByAddress(address);
      return port == 0 ? new TrafficSelector(a, a, protocol, 0, 65535) : new TrafficSelector(a, a, protocol, port, port);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are an address", e);
    }
  }

  private void drain(SaEntries.Outbound sa, TrapQueue trap) {
    flushPending(); // what this batch already encrypted leaves first
    while (!trap.isEmpty()) {
      int len = trap.peekLength();
      System.arraycopy(trap.peek(), 0, scratch.buffer(0), scratch.headroom(), len);
      trap.remove();
      scratch.set(0, scratch.headroom(), len);
      if (protect(sa, scratch, 0)) {
        if (sa.udpPeer() != null) {
          sendUdp(scratch, single, 0, 1, sa.udpPeer());
        } else {
          sendRaw(sa, scratch, 0);
        }
      }
    }
  }

  private void flushTraps(SecurityDatabase.Tables tables) {
    for (PolicyTable.Entry<PolicyBinding> e : tables.policies().entries()) {
      if (e.policy().interfaceId() != interfaceId) {
        continue; // another worker's queue
      }
      PolicyBinding binding = e.binding();
      if (binding.trap() != null && !binding.trap().isEmpty() && binding.outbound() != null) {
        drain(binding.outbound(), binding.trap());
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10); // a persistent error must not become a busy loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
