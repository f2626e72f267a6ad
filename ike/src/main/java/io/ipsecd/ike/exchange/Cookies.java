package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.Bytes;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * Stateless responder cookies (RFC 7296 §2.6): Cookie = VersionIDofSecret | SHA-256(Ni | IPi | SPIi |
 * secret). Under load a responder answers IKE_SA_INIT with a COOKIE and keeps nothing, so a flood
 * of spoofed requests costs it a hash each instead of a key exchange. The secret changes every two
 * minutes (as in strongSwan); cookies made with the previous one are still accepted.
 */
final class Cookies {
    static final Duration ROTATION = Duration.ofMinutes(2);

    private final RandomSource random;
    private byte[] secret;
    private byte[] previous;
    private int version;
    private Instant rotated;

    Cookies(RandomSource random, Instant now) {
        this.random = random;
        this.secret = random.bytes(32);
        this.previous = secret;
        this.rotated = now;
    }

    Bytes make(Bytes ni, InetAddress ip, long spiI, Instant now) {
        rotate(now);
        return Bytes.of(ByteBuffer.allocate(4 + 32).putInt(version).put(hash(ni, ip, spiI, secret)).array());
    }

    boolean valid(Bytes cookie, Bytes ni, InetAddress ip, long spiI, Instant now) {
        rotate(now);
        if (cookie.length() != 36) {
            return false;
        }
        byte[] raw = cookie.toArray();
        int v = ByteBuffer.wrap(raw).getInt();
        byte[] key = v == version ? secret : v == version - 1 ? previous : null;
        return key != null && MessageDigest.isEqual(java.util.Arrays.copyOfRange(raw, 4, 36), hash(ni, ip, spiI, key));
    }

    private void rotate(Instant now) {
        if (Duration.between(rotated, now).compareTo(ROTATION) >= 0) {
            previous = secret;
            secret = random.bytes(32);
            version++;
            rotated = now;
        }
    }

    private static byte[] hash(Bytes ni, InetAddress ip, long spiI, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ni.toArray());
            sha.update(ip.getAddress());
            sha.update(ByteBuffer.allocate(8).putLong(spiI).array());
            sha.update(key);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
