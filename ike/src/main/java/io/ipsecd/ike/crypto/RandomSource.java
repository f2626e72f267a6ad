package io.ipsecd.ike.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * Where nonces, SPIs, IVs and private keys come from. Production uses {@link #system()}; tests inject
 * {@link #deterministic(long)} so every byte of an exchange is reproducible.
 */
@FunctionalInterface
public interface RandomSource {
    void nextBytes(byte[] out);

    default byte[] bytes(int count) {
        byte[] b = new byte[count];
        nextBytes(b);
        return b;
    }

    static RandomSource system() {
        SecureRandom random = new SecureRandom();
        return random::nextBytes;
    }

    /** A SHA-256 counter-mode stream from {@code seed}. Predictable by design: tests only. */
    static RandomSource deterministic(long seed) {
        return new RandomSource() {
            private long counter;

            @Override
            public synchronized void nextBytes(byte[] out) {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    for (int off = 0; off < out.length; off += 32) {
                        sha.update(ByteBuffer.allocate(16).putLong(seed).putLong(counter++).array());
                        byte[] block = sha.digest();
                        System.arraycopy(block, 0, out, off, Math.min(32, out.length - off));
                    }
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
                }
            }
        };
    }

    /** This source as a {@link SecureRandom}, for Bouncy Castle key generators. */
    default SecureRandom asSecureRandom() {
        RandomSource source = this;
        SecureRandomSpi spi = new SecureRandomSpi() {
            @Override
            protected void engineSetSeed(byte[] seed) {
                // Seeding would make a deterministic test source depend on call order; ignore it.
            }

            @Override
            protected void engineNextBytes(byte[] bytes) {
                source.nextBytes(bytes);
            }

            @Override
            protected byte[] engineGenerateSeed(int numBytes) {
                return source.bytes(numBytes);
            }
        };
        return new SecureRandom(spi, null) {
        };
    }
}
