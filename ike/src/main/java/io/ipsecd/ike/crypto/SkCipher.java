package io.ipsecd.ike.crypto;

import java.util.Optional;

/**
 * Protects SK payload bodies for one direction of one SA. Works in place on the datagram buffer,
 * because what is authenticated is positional: the AEAD associated data is everything before the IV
 * (IKE header and SK generic header, RFC 5282 §5.1); the HMAC ICV covers the whole message up to
 * the ICV (RFC 7296 §3.14).
 *
 * <p>Not thread-safe: one instance per SA direction, used from the SA's event loop.
 */
public sealed interface SkCipher permits AeadSkCipher, CbcHmacSkCipher {

    /** The cipher for {@code suite} keyed with one direction's keys (SK_ei/SK_ai or SK_er/SK_ar). */
    static SkCipher create(CipherSuite suite, DirectionKeys keys, RandomSource random) {
        return suite.encryption().isAead() ? new AeadSkCipher(suite, keys.encryption())
                : new CbcHmacSkCipher(suite, keys, random);
    }

    int ivBytes();

    int icvBytes();

    /** The plaintext (payloads, padding, pad length) must be a multiple of this. */
    int blockBytes();

    /**
     * Encrypts {@code plaintext} into {@code datagram} at {@code bodyOffset} as IV | ciphertext | ICV;
     * {@code datagram[0, bodyOffset)} must already hold the final header and SK payload header.
     */
    void seal(byte[] datagram, int bodyOffset, byte[] plaintext);

    /**
     * Verifies and decrypts the SK body at {@code bodyOffset} (running to the end of the datagram).
     * Empty when the ICV does not verify. The caller has checked the body is long enough.
     */
    Optional<byte[]> open(byte[] datagram, int bodyOffset);
}
