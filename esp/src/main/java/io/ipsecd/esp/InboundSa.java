package io.ipsecd.esp;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Decapsulates ESP packets of one inbound Child SA in tunnel mode (RFC 4303).
 *
 * <p>Order of checks: length, SPI, anti-replay (before any crypto, so replays cost nothing),
 * lifetime, ICV/AEAD tag, then, only for authentic packets, the replay window update, the padding
 * (must be 1, 2, 3, ...) and the next header (4 or 41; 59 is a dummy). Every rejection returns a
 * status and bumps a counter; no input bytes make it throw.
 *
 * <p><b>Threading:</b> one thread decapsulates for a given InboundSa. {@link #stats()} and
 * {@link #rekeyNeeded()} may be read from any thread. {@link #destroy()} is for after the data
 * plane stopped using it; see {@link OutboundSa} for what key wiping reaches.
 *
 * <p><b>Cost of forgeries:</b> the JCE reports a bad AEAD tag only by throwing
 * {@code AEADBadTagException}, which this class catches; a forged packet with a fresh sequence
 * number therefore costs an exception (a few microseconds). CBC+HMAC compares ICVs without one.
 */
public final class InboundSa {
    private final SaParameters params;
    private final EspTransform transform;
    private final PacketProtection protection;
    private final ReplayWindow window;
    private final SaCounters counters = new SaCounters();
    private final int spi;
    private final boolean esn;
    private final int minCipherLength;
    private int innerLength;
    private int nextHeader;
    private long sequence;
    private volatile boolean rekeyNeeded;
    private volatile boolean destroyed;

    private InboundSa(SaParameters params) throws GeneralSecurityException {
        if (params.direction() != SaDirection.INBOUND) {
            throw new IllegalArgumentException("not an inbound SA: " + params);
        }
        this.params = params;
        this.transform = params.transform();
        this.protection = PacketProtection.create(transform, params.keys(), SaDirection.INBOUND);
        this.window = new ReplayWindow(params.replayWindow());
        this.spi = params.spi();
        this.esn = params.esn();
        // At least pad length and next header, in whole blocks.
        this.minCipherLength = transform.paddedLength(0);
    }

    /** Builds the SA; throws only when the JDK lacks an algorithm or rejects the key. */
    public static InboundSa create(SaParameters params) throws GeneralSecurityException {
        return new InboundSa(params);
    }

    /** Tests only: the window starts as if {@code seq} had just been received. */
    static InboundSa startingAfter(SaParameters params, long seq) throws GeneralSecurityException {
        InboundSa sa = new InboundSa(params);
        sa.restartWindowAt(seq);
        return sa;
    }

    /** Tests and benchmarks only: forget what was received, as if {@code seq} had just been. */
    void restartWindowAt(long seq) { window.restartAt(seq); }

    /**
     * Verifies and decrypts the ESP packet {@code packet[off, off + length)} (starting at the SPI)
     * and writes the inner packet to {@code dst[dstOff...]}; {@code dst} needs
     * {@code transform().decryptedLength(length)} bytes there. In place works:
     * {@code dst == packet, dstOff == off + transform().headerSize()}. On {@link EspStatus#OK}
     * the inner packet is {@code dst[dstOff, dstOff + innerLength())}, an IPv4 or IPv6 packet as
     * {@link #nextHeader()} says. Offsets outside the arrays are the caller's bug and throw
     * {@link IndexOutOfBoundsException}; nothing about the packet's content does.
     */
    public EspStatus decapsulate(byte[] packet, int off, int length, byte[] dst, int dstOff) {
        Objects.checkFromIndexSize(off, length, packet.length);
        Objects.checkIndex(dstOff, dst.length + 1);
        if (destroyed) {
            return EspStatus.SA_DESTROYED;
        }
        if (length < EspPacket.HEADER_SIZE) {
            return drop(SaCounters.MALFORMED, EspStatus.TRUNCATED);
        }
        if (EspPacket.spi(packet, off) != spi) {
            return drop(SaCounters.MALFORMED, EspStatus.WRONG_SPI);
        }
        int cipherLength = length - transform.headerSize() - transform.icvSize();
        if (cipherLength < minCipherLength || cipherLength % transform.blockSize() != 0 && !transform.aead()) {
            return drop(SaCounters.MALFORMED, EspStatus.TRUNCATED);
        }
        int low = EspPacket.sequenceLow(packet, off);
        long seq = esn ? window.inferEsn(low) : low & 0xFFFF_FFFFL;
        if (!window.check(seq)) {
            return drop(SaCounters.REPLAY, EspStatus.REPLAY);
        }
        if (params.hardLifetime().reachedBy(counters.own(SaCounters.BYTES), counters.own(SaCounters.PACKETS))) {
            return drop(SaCounters.MALFORMED, EspStatus.LIFETIME_EXPIRED);
        }
        if (dst.length - dstOff < cipherLength) {
            return drop(SaCounters.MALFORMED, EspStatus.BUFFER_TOO_SMALL);
        }
        EspStatus verdict;
        try {
            verdict = protection.open(packet, off, cipherLength, seq, esn, dst, dstOff);
        } catch (GeneralSecurityException | RuntimeException e) {
            return drop(SaCounters.MALFORMED, EspStatus.CRYPTO_ERROR);
        }
        if (verdict != EspStatus.OK) {
            return drop(SaCounters.AUTH, verdict);
        }
        // Authentic: the sender really used this number, so it is spent even if the content is bad.
        window.update(seq);
        return checkTrailer(dst, dstOff, cipherLength, seq);
    }

    private EspStatus checkTrailer(byte[] dst, int dstOff, int cipherLength, long seq) {
        int padLength = dst[dstOff + cipherLength - 2] & 0xFF;
        int next = dst[dstOff + cipherLength - 1] & 0xFF;
        int inner = cipherLength - 2 - padLength;
        if (inner < 0) {
            return drop(SaCounters.PADDING, EspStatus.BAD_PADDING);
        }
        int bad = 0;
        for (int i = 0; i < padLength; i++) {
            bad |= dst[dstOff + inner + i] ^ (i + 1);
        }
        if ((bad & 0xFF) != 0) {
            return drop(SaCounters.PADDING, EspStatus.BAD_PADDING);
        }
        if (next == EspPacket.NEXT_HEADER_NONE) {
            return EspStatus.DUMMY;
        }
        if (next != EspPacket.NEXT_HEADER_IPV4 && next != EspPacket.NEXT_HEADER_IPV6) {
            return drop(SaCounters.MALFORMED, EspStatus.BAD_NEXT_HEADER);
        }
        innerLength = inner;
        nextHeader = next;
        sequence = seq;
        counters.packet(inner);
        if (!rekeyNeeded && params.softLifetime().reachedBy(counters.own(SaCounters.BYTES),
                counters.own(SaCounters.PACKETS))) {
            rekeyNeeded = true;
        }
        return EspStatus.OK;
    }

    private EspStatus drop(int counter, EspStatus status) {
        counters.increment(counter);
        return status;
    }

    /** Length of the inner packet of the last {@link EspStatus#OK} decapsulation. */
    public int innerLength() { return innerLength; }

    /** 4 (IPv4) or 41 (IPv6) for the last {@link EspStatus#OK} decapsulation. */
    public int nextHeader() { return nextHeader; }

    /** Full (ESN-inferred) sequence number of the last {@link EspStatus#OK} decapsulation. */
    public long sequence() { return sequence; }

    /** Highest authenticated sequence number so far. Owning thread only. */
    public long highestSequence() { return window.top(); }

    /** True once the soft byte/packet lifetime is passed. */
    public boolean rekeyNeeded() { return rekeyNeeded; }

    public int spi() { return spi; }

    public EspTransform transform() { return transform; }

    public SaStats stats() { return counters.snapshot(); }

    /** Refuses all further packets and wipes key material (limits: see {@link OutboundSa}). */
    public void destroy() {
        destroyed = true;
        protection.destroy();
    }
}
