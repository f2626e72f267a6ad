package io.ipsecd.esp;

import java.security.GeneralSecurityException;

/**
 * The cryptographic half of ESP for one SA direction, over a packet laid out in a {@code byte[]}:
 * {@code espOff} is the SPI, the IV follows the 8-byte header, the payload follows the IV.
 * Not thread-safe: it holds the JCE objects and scratch buffers of its owning thread.
 */
sealed interface PacketProtection permits AeadProtection, CbcHmacProtection {

    static PacketProtection create(EspTransform transform, EspKeys keys, SaDirection direction)
            throws GeneralSecurityException {
        return transform.aead()
                ? new AeadProtection(transform, keys, direction)
                : new CbcHmacProtection(transform, keys, direction);
    }

    /**
     * Encrypts the {@code paddedLength} payload bytes in place and writes the IV (derived from
     * {@code ivValue}) and the ICV after the payload. SPI and low sequence number are already in place.
     */
    void seal(byte[] buf, int espOff, int paddedLength, long seq, boolean esn, long ivValue)
            throws GeneralSecurityException;

    /**
     * Verifies the packet and decrypts its {@code cipherLength} payload bytes into {@code dst}.
     * Returns {@link EspStatus#OK} or {@link EspStatus#AUTH_FAILED}; never leaves unverified
     * plaintext behind as OK.
     */
    EspStatus open(byte[] pkt, int espOff, int cipherLength, long seq, boolean esn, byte[] dst, int dstOff)
            throws GeneralSecurityException;

    /** Best-effort wipe of key material held here and inside the provider objects. */
    void destroy();
}
