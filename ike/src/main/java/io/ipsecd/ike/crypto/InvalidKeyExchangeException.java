package io.ipsecd.ike.crypto;

/**
 * The peer's KE data is unusable: wrong length, out of range, not on the curve, or it yields a
 * degenerate secret. The exchange fails (RFC 6989 asks for these checks); the caller picks the
 * answer. No stack trace: peers control when this happens.
 */
public final class InvalidKeyExchangeException extends Exception {
    public InvalidKeyExchangeException(String message) {
        super(message, null, false, false);
    }
}
