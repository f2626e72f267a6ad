package io.ipsecd.esp;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Encapsulates inner IPv4/IPv6 packets for one outbound Child SA in tunnel mode (RFC 4303).
 *
 * <p><b>Threading:</b> one thread encapsulates for a given OutboundSa (the sequence number and the
 * JCE objects are unsynchronised). {@link #stats()}, {@link #rekeyNeeded()}, {@link #exhausted()}
 * may be read from any thread. {@link #destroy()} is for after the data plane stopped using it.
 *
 * <p><b>Sequence numbers</b> start at 1 and never wrap: 2^32 - 1 is the last one without ESN,
 * 2^64 - 1 with. {@link #rekeyNeeded()} turns true at 2^32 - 2^24 (ESN: 2^64 - 2^32) or at the soft
 * lifetime, so IKE can rekey in time; at the end {@link #encapsulate} returns
 * {@link EspStatus#SEQUENCE_EXHAUSTED} rather than reuse a number.
 *
 * <p><b>Keys:</b> {@link #destroy()} zeroes this SA's copies and re-keys the JCE objects with zeros.
 * The {@link EspKeys} passed in remain the caller's to destroy. Copies that the JCE provider
 * made internally (expanded AES schedules, HMAC pads) are out of reach beyond that re-key: the JCA
 * offers no way to wipe them.
 */
public final class OutboundSa {
    static final long SOFT_LIMIT_32 = (1L << 32) - (1L << 24);
    static final long SOFT_LIMIT_64 = -(1L << 32); // 2^64 - 2^32, unsigned
    static final long LAST_32 = 0xFFFF_FFFFL;

    private final SaParameters params;
    private final EspTransform transform;
    private final PacketProtection protection;
    private final SaCounters counters = new SaCounters();
    private final int spi;
    private final boolean esn;
    private final long softSequence;
    private long nextSequence;
    private volatile boolean exhausted;
    private int length;
    private volatile boolean rekeyNeeded;
    private volatile boolean destroyed;
    private volatile Runnable rekeyListener = () -> {};

    private OutboundSa(SaParameters params, long firstSequence) throws GeneralSecurityException {
        if (params.direction() != SaDirection.OUTBOUND) {
            throw new IllegalArgumentException("not an outbound SA: " + params);
        }
        this.params = params;
        this.transform = params.transform();
        this.protection = PacketProtection.create(transform, params.keys(), SaDirection.OUTBOUND);
        this.spi = params.spi();
        this.esn = params.esn();
        this.softSequence = esn ? SOFT_LIMIT_64 : SOFT_LIMIT_32;
        this.nextSequence = firstSequence;
    }

    /**
     * Builds the SA. Throws {@link GeneralSecurityException} only when the JDK lacks an algorithm
     * or rejects the key (a setup failure, never a per-packet one).
     */
    public static OutboundSa create(SaParameters params) throws GeneralSecurityException {
        return new OutboundSa(params, 1);
    }

    /** For tests of sequence exhaustion: the first packet gets {@code firstSequence}. */
    static OutboundSa startingAt(SaParameters params, long firstSequence) throws GeneralSecurityException {
        return new OutboundSa(params, firstSequence);
    }

    /**
     * Encapsulates the inner packet {@code inner[innerOff, innerOff + innerLength)} into ESP at
     * {@code out[outOff...]}, needing {@code transform().encapsulatedLength(innerLength)} bytes there.
     * Leave room before {@code outOff} for the outer headers. {@code inner} and {@code out} may be
     * the same array; with {@code innerOff == outOff + transform().headerSize()} nothing is copied
     * out of the way. On {@link EspStatus#OK}, {@link #length()} is the ESP packet's length.
     */
    public EspStatus encapsulate(byte[] inner, int innerOff, int innerLength, byte[] out, int outOff) {
        return encapsulate(inner, innerOff, innerLength, out, outOff, false, 0);
    }

    /** Same, with the explicit IV given instead of derived (known-answer tests). */
    EspStatus encapsulate(byte[] inner, int innerOff, int innerLength, byte[] out, int outOff,
                          boolean fixedIv, long explicitIv) {
        Objects.checkFromIndexSize(innerOff, innerLength, inner.length);
        Objects.checkIndex(outOff, out.length + 1);
        if (destroyed) {
            return refuse(EspStatus.SA_DESTROYED);
        }
        if (exhausted) {
            return refuse(EspStatus.SEQUENCE_EXHAUSTED);
        }
        if (params.hardLifetime().reachedBy(counters.own(SaCounters.BYTES), counters.own(SaCounters.PACKETS))) {
            return refuse(EspStatus.LIFETIME_EXPIRED);
        }
        int nextHeader = innerLength == 0 ? 0 : switch ((inner[innerOff] & 0xF0) >>> 4) {
            case 4 -> EspPacket.NEXT_HEADER_IPV4;
            case 6 -> EspPacket.NEXT_HEADER_IPV6;
            default -> 0;
        };
        if (nextHeader == 0) {
            return refuse(EspStatus.INVALID_INNER);
        }
        int padded = transform.paddedLength(innerLength);
        int total = transform.headerSize() + padded + transform.icvSize();
        if (out.length - outOff < total) {
            return refuse(EspStatus.BUFFER_TOO_SMALL);
        }
        long seq = takeSequence();
        int payloadOff = outOff + transform.headerSize();
        System.arraycopy(inner, innerOff, out, payloadOff, innerLength);
        int padLength = padded - innerLength - 2;
        int trailer = payloadOff + innerLength;
        for (int i = 0; i < padLength; i++) {
            out[trailer + i] = (byte) (i + 1);
        }
        out[trailer + padLength] = (byte) padLength;
        out[trailer + padLength + 1] = (byte) nextHeader;
        EspPacket.putInt(out, outOff, spi);
        EspPacket.putInt(out, outOff + 4, (int) seq);
        try {
            protection.seal(out, outOff, padded, seq, esn, fixedIv ? explicitIv : seq);
        } catch (GeneralSecurityException | RuntimeException e) {
            return refuse(EspStatus.CRYPTO_ERROR);
        }
        length = total;
        counters.packet(innerLength);
        checkSoftLimits(seq);
        return EspStatus.OK;
    }

    /** Tests only: the next packet gets {@code seq}, as if the ones before had been sent. */
    void skipTo(long seq) { nextSequence = seq; }

    private long takeSequence() {
        long seq = nextSequence;
        if (seq == (esn ? -1L : LAST_32)) {
            exhausted = true; // this one is the last: it is used, nothing after it
        }
        nextSequence = seq + 1;
        return seq;
    }

    private void checkSoftLimits(long seq) {
        if (!rekeyNeeded && (Long.compareUnsigned(seq, softSequence) >= 0
                || params.softLifetime().reachedBy(counters.own(SaCounters.BYTES), counters.own(SaCounters.PACKETS)))) {
            rekeyNeeded = true;
            rekeyListener.run();
        }
    }

    private EspStatus refuse(EspStatus status) {
        counters.increment(SaCounters.REFUSED);
        return status;
    }

    /** Length of the ESP packet the last successful {@link #encapsulate} wrote. */
    public int length() { return length; }

    /** True once the soft sequence or lifetime threshold is passed: IKE should rekey this Child SA. */
    public boolean rekeyNeeded() { return rekeyNeeded; }

    /**
     * Runs {@code listener} once, on the encapsulating thread, when {@link #rekeyNeeded()} turns
     * true. Keep it short and non-blocking (e.g. enqueue an event for IKE).
     */
    public void onRekeyNeeded(Runnable listener) { this.rekeyListener = Objects.requireNonNull(listener); }

    /** True when no sequence number is left: every further encapsulation is refused. */
    public boolean exhausted() { return exhausted; }

    /** The sequence number the next packet would get (unsigned with ESN). Owning thread only. */
    public long nextSequence() { return nextSequence; }

    public int spi() { return spi; }

    public EspTransform transform() { return transform; }

    public SaStats stats() { return counters.snapshot(); }

    /** Refuses all further packets and wipes key material (see the class comment for the limits). */
    public void destroy() {
        destroyed = true;
        protection.destroy();
    }
}
