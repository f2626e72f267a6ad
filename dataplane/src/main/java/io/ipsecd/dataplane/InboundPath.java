package io.ipsecd.dataplane;

import io.ipsecd.dataplane.DropCounters.Reason;
import io.ipsecd.dataplane.net.EspDatagramHandler;
import io.ipsecd.dataplane.packet.PacketBatch;
import io.ipsecd.dataplane.spd.FlowKey;
import io.ipsecd.dataplane.spd.PolicyTable;
import io.ipsecd.dataplane.tun.TcpCoalescer;
import io.ipsecd.esp.EspPacket;
import io.ipsecd.esp.EspStatus;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.SaDirection;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The inbound path of one transport, run by that transport's receiving thread: SPI to SA (SAD),
 * decrypt in place, check the inner packet against the SA's policy (RFC 4301 §5.2: a peer may only
 * send what it negotiated), clamp a SYN's MSS if the policy asks, write it into the TUN of the
 * policy's interface (the main one, or a route-based connection's own). With an offloading TUN, consecutive segments
 * of a TCP flow that arrived together are merged into one super-packet first ({@link TcpCoalescer}),
 * released at the end of each burst, in order with everything else. Inbound SAs are bound to a transport and only
 * this path decrypts for them, so each replay window has exactly one writer. Allocates nothing per
 * packet; events (rate-limited unknown SPIs, expiries) do.
 *
 * <p>Decryption goes into this path's own buffer, never in place: SunJCE's AEAD decryption copies
 * into a fresh array of the whole output array's size whenever input and output share an array,
 * which for a 64 KiB receive slot was a 64 KiB allocation and copy per packet.
 */
final class InboundPath implements EspDatagramHandler {
  private static final long UNKNOWN_SPI_INTERVAL_NANOS = 100_000_000L; // at most 10 reports a second

  private final boolean udp;
  private final SecurityDatabase db;
  private final EventDispatcher events;
  private final DropCounters drops;
  private final Quiescence quiescence = new Quiescence();
  private final FlowKey key = new FlowKey();
  /** Merges TCP segments for offloading TUNs; the pending train belongs to {@link #coalescedTo}. */
  private final TcpCoalescer coalescer = new TcpCoalescer();
  private TunWriter coalescedTo;
  private final PacketBatch clear = PacketBatch.allocate(1, Dataplane.HEADROOM + 65_536 + 64, Dataplane.HEADROOM);
  private long lastUnknownSpiNanos = System.nanoTime() - UNKNOWN_SPI_INTERVAL_NANOS;

  InboundPath(boolean udp, SecurityDatabase db, EventDispatcher events, DropCounters drops) {
    this.udp = udp;
    this.db = db;
    this.events = events;
    this.drops = drops;
  }

  Quiescence quiescence() {
    return quiescence;
  }

  @Override
  public void onEsp(PacketBatch batch, int slot) {
    quiescence.enter();
    try {
      handle(db.current(), batch, slot);
    } finally {
      quiescence.exit();
    }
  }

  @Override
  public void onBurstEnd() {
    if (coalescer.pending()) {
      flushCoalesced();
    }
  }

  private void flushCoalesced() {
    try {
      if (!coalescedTo.writeFrame(coalescer.finish(), 0)) {
        drops.count(Reason.TUN_WRITE_FAILED);
      }
    } catch (IOException e) {
      drops.count(Reason.TUN_WRITE_FAILED);
    }
  }

  private void handle(SecurityDatabase.Tables tables, PacketBatch batch, int slot) {
    byte[] buf = batch.buffer(slot);
    int off = batch.offset(slot);
    int len = batch.length(slot);
    if (len < EspPacket.HEADER_SIZE) {
      drops.count(Reason.DECRYPT_FAILED);
      return;
    }
    int spi = EspPacket.spi(buf, off);
    SaEntries.Inbound entry = tables.inbound().get(spi);
    if (entry == null) {
      unknownSpi(spi, batch.remote(slot));
      return;
    }
    if (entry.udp() != udp) {
      drops.count(Reason.WRONG_TRANSPORT);
      return;
    }
    InboundSa sa = entry.sa();
    byte[] out = clear.buffer(0);
    int innerOff = clear.headroom();
    EspStatus status = sa.decapsulate(buf, off, len, out, innerOff);
    if (status == EspStatus.DUMMY) {
      return;
    }
    if (!status.ok()) {
      drops.count(Reason.DECRYPT_FAILED);
      if (status == EspStatus.LIFETIME_EXPIRED && entry.hardReported().raise()) {
        events.post(l -> l.expired(spi, SaDirection.INBOUND, true));
      }
      return;
    }
    int innerLen = sa.innerLength();
    if (!key.parse(out, innerOff, innerLen)) {
      drops.count(Reason.MALFORMED_INNER);
      return;
    }
    PolicyTable.Entry<PolicyBinding> policy = tables.policies().byId(entry.install().policyId());
    if (policy == null || !policy.allowsInbound(key)) {
      drops.count(Reason.POLICY_MISMATCH);
      return;
    }
    if (sa.rekeyNeeded() && entry.softReported().raise()) {
      events.post(l -> l.expired(spi, SaDirection.INBOUND, false));
    }
    TunWriter writer = tables.writers().get(policy.policy().interfaceId());
    if (writer == null) {
      drops.count(Reason.TUN_WRITE_FAILED); // the policy's interface is not up (being removed, or failed to start)
      return;
    }
    if (policy.policy().mssClamp() != 0) {
      MssClamp.apply(out, innerOff, innerLen, policy.policy().mssClamp());
    }
    if (coalescer.pending() && coalescedTo != writer) {
      flushCoalesced(); // another interface: its train ends here, in order
    }
    if (writer.coalesces()) {
      coalescedTo = writer;
      TcpCoalescer.Offer offer = coalescer.offer(out, innerOff, innerLen);
      if (offer == TcpCoalescer.Offer.FLUSH_FIRST) {
        flushCoalesced();
        offer = coalescer.offer(out, innerOff, innerLen);
      }
      if (offer == TcpCoalescer.Offer.MERGED) {
        return;
      }
      if (coalescer.pending()) {
        flushCoalesced(); // keep the order: what was merged before this packet goes first
      }
    }
    clear.set(0, innerOff, innerLen);
    try {
      if (!writer.write(clear, 0)) {
        drops.count(Reason.TUN_WRITE_FAILED);
      }
    } catch (IOException e) {
      drops.count(Reason.TUN_WRITE_FAILED);
    }
  }

  private void unknownSpi(int spi, InetSocketAddress from) {
    drops.count(Reason.UNKNOWN_SPI);
    long now = System.nanoTime();
    if (now - lastUnknownSpiNanos >= UNKNOWN_SPI_INTERVAL_NANOS) {
      lastUnknownSpiNanos = now;
      events.post(l -> l.unknownSpi(spi, from));
    }
  }
}
