package io.ipsecd.ike.message;

import java.util.Optional;

/**
 * The IKE header (RFC 7296 §3.1) minus what the encoder computes: the first payload type and the
 * message length. The major version is always 2 (anything else fails decoding with
 * INVALID_MAJOR_VERSION) and the minor version is sent as 0 and ignored on receipt, as the RFC asks.
 *
 * @param exchangeType wire number; see {@link #exchange()} for the known ones
 * @param initiatorFlag the I flag: set by the original initiator of the IKE SA
 * @param responseFlag the R flag: this message is a response
 * @param versionFlag the V flag: sender could speak a higher major version (we never set it)
 * @param messageId unsigned 32-bit message ID
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int exchangeType, boolean initiatorFlag,
                        boolean responseFlag, boolean versionFlag, long messageId) {
    public static final int LENGTH = 28;
    static final int FLAG_INITIATOR = 0x08;
    static final int FLAG_VERSION = 0x10;
    static final int FLAG_RESPONSE = 0x20;

    public IkeHeader {
        if (exchangeType < 0 || exchangeType > 255) {
            throw new IllegalArgumentException("exchange type out of range: " + exchangeType);
        }
        if (messageId < 0 || messageId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("message ID out of range: " + messageId);
        }
    }

    public IkeHeader(long initiatorSpi, long responderSpi, ExchangeType exchange, boolean initiatorFlag,
                     boolean responseFlag, long messageId) {
        this(initiatorSpi, responderSpi, exchange.value(), initiatorFlag, responseFlag, false, messageId);
    }

    public Optional<ExchangeType> exchange() {
        return ExchangeType.fromValue(exchangeType);
    }

    int flags() {
        return (initiatorFlag ? FLAG_INITIATOR : 0) | (versionFlag ? FLAG_VERSION : 0) | (responseFlag ? FLAG_RESPONSE : 0);
    }

    /** The 28 header bytes for a message whose first payload and total length are given. */
    public byte[] encode(int firstPayloadType, int messageLength) {
        return new WireWriter().u64(initiatorSpi).u64(responderSpi).u8(firstPayloadType).u8(0x20)
                .u8(exchangeType).u8(flags()).u32(messageId).u32(messageLength & 0xFFFF_FFFFL).toByteArray();
    }
}
