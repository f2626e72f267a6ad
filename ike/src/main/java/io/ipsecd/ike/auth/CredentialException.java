package io.ipsecd.ike.auth;

import java.io.Serial;

/**
 * A certificate, key or CRL file could not be used. The message is for the administrator: it
 * names the file and says what to check. It never holds key bytes or a passphrase.
 */
public final class CredentialException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public CredentialException(String message) {
        super(message);
    }

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
