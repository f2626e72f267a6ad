package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM (RFC 5282) and ChaCha20-Poly1305 (RFC 7634) for SK payloads, via the JDK's providers.
 * Nonce = 4-byte salt (the tail of SK_e) | 8-byte IV. The IV is a counter: it must never repeat
 * under one key, and a counter guarantees that where random 64-bit values only make it likely.
 */
final class AeadSkCipher implements SkCipher {
    private final EncryptionAlgorithm algorithm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final int icvBytes;
    private long nextIv;

    AeadSkCipher(CipherSuite suite, SecretBytes keyWithSalt) {
        this.algorithm = suite.encryption();
        // AES_GCM_8 is left out: SunJCE accepts no GCM tag below 96 bits, and nobody proposes it.
        if (algorithm != EncryptionAlgorithm.CHACHA20_POLY1305 && algorithm != EncryptionAlgorithm.AES_GCM_16
                && algorithm != EncryptionAlgorithm.AES_GCM_12) {
            throw new IllegalArgumentException(algorithm + " is not implemented");
        }
        if (keyWithSalt.length() != suite.encryptionKeyBytes()) {
            throw new IllegalArgumentException(algorithm + " needs " + suite.encryptionKeyBytes() + " bytes of key and salt");
        }
        byte[] material = keyWithSalt.copy();
        int keyLength = material.length - algorithm.saltBytes();
        this.key = new SecretKeySpec(material, 0, keyLength, algorithm == EncryptionAlgorithm.CHACHA20_POLY1305 ? "ChaCha20" : "AES");
        this.salt = Arrays.copyOfRange(material, keyLength, material.length);
        Arrays.fill(material, (byte) 0);
        this.icvBytes = algorithm.icvBytes();
    }

    @Override
    public int ivBytes() {
        return 8;
    }

    @Override
    public int icvBytes() {
        return icvBytes;
    }

    @Override
    public int blockBytes() {
        return 1;
    }

    private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).put(salt).put(iv).array();
        Cipher c;
        AlgorithmParameterSpec spec;
        if (algorithm == EncryptionAlgorithm.CHACHA20_POLY1305) {
            c = Cipher.getInstance("ChaCha20-Poly1305");
            spec = new IvParameterSpec(nonce);
        } else {
            c = Cipher.getInstance("AES/GCM/NoPadding");
            spec = new GCMParameterSpec(icvBytes * 8, nonce);
        }
        c.init(mode, key, spec);
        return c;
    }

    @Override
    public void seal(byte[] datagram, int bodyOffset, byte[] plaintext) {
        byte[] iv = ByteBuffer.allocate(8).putLong(nextIv++).array();
        System.arraycopy(iv, 0, datagram, bodyOffset, 8);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, iv);
            c.updateAAD(datagram, 0, bodyOffset);
            c.doFinal(plaintext, 0, plaintext.length, datagram, bodyOffset + 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " encryption failed", e);
        }
    }

    @Override
    public Optional<byte[]> open(byte[] datagram, int bodyOffset) {
        byte[] iv = Arrays.copyOfRange(datagram, bodyOffset, bodyOffset + 8);
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, iv);
            c.updateAAD(datagram, 0, bodyOffset);
            // doFinal only: the whole ciphertext and tag in one call, never update()+doFinal().
            return Optional.of(c.doFinal(datagram, bodyOffset + 8, datagram.length - bodyOffset - 8));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " decryption failed", e);
        }
    }
}
