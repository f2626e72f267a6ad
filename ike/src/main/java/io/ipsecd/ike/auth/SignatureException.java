package io.ipsecd.ike.auth;

import java.io.Serial;

/** Our AUTH signature could not be made; the message says why (key type, hash the peer accepts). */
public final class SignatureException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public SignatureException(String message) {
        super(message);
    }

    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
