package io.ipsecd.esp;

/** Outcome of one encapsulation or decapsulation; the per-packet path reports, never throws. */
public enum EspStatus {
    /** Done: the output is valid. */
    OK,
    /** Authentic dummy packet (next header 59, RFC 4303 section 2.6): drop silently. */
    DUMMY,
    /** Sequence number already seen, or left behind the anti-replay window. */
    REPLAY,
    /** ICV did not verify: forged, damaged, or keyed differently. */
    AUTH_FAILED,
    /** Authentic, but the padding is not 1, 2, 3, ... or longer than the payload. */
    BAD_PADDING,
    /** Too short for this transform, or (CBC) not a whole number of blocks. */
    TRUNCATED,
    /** The packet carries another SA's SPI. */
    WRONG_SPI,
    /** Authentic, but the next header is neither IPv4 (4), IPv6 (41) nor dummy (59). */
    BAD_NEXT_HEADER,
    /** Outbound: the inner packet is empty or not IPv4/IPv6. */
    INVALID_INNER,
    /** The output buffer cannot hold the result. */
    BUFFER_TOO_SMALL,
    /** Outbound: the sequence number space is used up; the SA must be replaced, it never wraps. */
    SEQUENCE_EXHAUSTED,
    /** The hard byte or packet lifetime is reached. */
    LIFETIME_EXPIRED,
    /** The SA was destroyed. */
    SA_DESTROYED,
    /** The JCE provider failed unexpectedly (a bug or a broken provider, never the input's fault). */
    CRYPTO_ERROR;

    public boolean ok() { return this == OK; }
}
