package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CBC with an HMAC integrity transform (RFC 7296 §3.14): random IV, and an ICV over the whole
 * message up to the ICV, checked (in constant time) before anything is decrypted.
 */
final class CbcHmacSkCipher implements SkCipher {
    private static final int BLOCK = 16;
    private final SecretKeySpec key;
    private final Integrity integrity;
    private final RandomSource random;

    CbcHmacSkCipher(CipherSuite suite, DirectionKeys keys, RandomSource random) {
        if (suite.encryption() != EncryptionAlgorithm.AES_CBC) {
            throw new IllegalArgumentException(suite.encryption() + " is not implemented");
        }
        if (keys.encryption().length() != suite.encryptionKeyBytes()) {
            throw new IllegalArgumentException("AES-CBC-" + suite.keyBits() + " needs a " + suite.encryptionKeyBytes()
                    + "-byte key");
        }
        byte[] k = keys.encryption().copy();
        this.key = new SecretKeySpec(k, "AES");
        Arrays.fill(k, (byte) 0);
        this.integrity = new Integrity(suite.integrity(), keys.integrity());
        this.random = random;
    }

    @Override
    public int ivBytes() {
        return BLOCK;
    }

    @Override
    public int icvBytes() {
        return integrity.icvBytes();
    }

    @Override
    public int blockBytes() {
        return BLOCK;
    }

    @Override
    public void seal(byte[] datagram, int bodyOffset, byte[] plaintext) {
        byte[] iv = random.bytes(BLOCK);
        System.arraycopy(iv, 0, datagram, bodyOffset, BLOCK);
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            c.doFinal(plaintext, 0, plaintext.length, datagram, bodyOffset + BLOCK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC encryption failed", e);
        }
        int icvOffset = datagram.length - icvBytes();
        byte[] icv = integrity.compute(datagram, 0, icvOffset);
        System.arraycopy(icv, 0, datagram, icvOffset, icv.length);
    }

    @Override
    public Optional<byte[]> open(byte[] datagram, int bodyOffset) {
        int icvOffset = datagram.length - icvBytes();
        if (!integrity.verify(datagram, 0, icvOffset, datagram, icvOffset)) {
            return Optional.empty();
        }
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(datagram, bodyOffset, BLOCK));
            return Optional.of(c.doFinal(datagram, bodyOffset + BLOCK, icvOffset - bodyOffset - BLOCK));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC decryption failed", e);
        }
    }
}
