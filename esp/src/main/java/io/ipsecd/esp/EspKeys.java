package io.ipsecd.esp;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Keys of one SA direction, split from IKE's KEYMAT as RFC 7296 section 2.17 hands it over: the
 * encryption key first, then (AEAD) the 4-byte salt, or (CBC) the integrity key.
 *
 * <p>The constructor copies its arguments; the accessors return the record's own arrays (do not
 * keep or change them). {@link #destroy()} zeroes them: call it once the SA built from these keys
 * is gone. Arrays are compared by content; {@code toString} never prints key bytes.
 */
public record EspKeys(byte[] encryptionKey, byte[] salt, byte[] integrityKey) {

    private static final byte[] EMPTY = new byte[0];

    public EspKeys {
        encryptionKey = Objects.requireNonNull(encryptionKey, "encryptionKey").clone();
        salt = salt == null ? EMPTY : salt.clone();
        integrityKey = integrityKey == null ? EMPTY : integrityKey.clone();
    }

    /** Keys for an AEAD transform: encryption key and salt. */
    public static EspKeys aead(byte[] encryptionKey, byte[] salt) {
        return new EspKeys(encryptionKey, salt, null);
    }

    /** Keys for CBC plus HMAC. */
    public static EspKeys cbc(byte[] encryptionKey, byte[] integrityKey) {
        return new EspKeys(encryptionKey, null, integrityKey);
    }

    /**
     * Takes {@code transform.keyMaterialSize()} bytes of KEYMAT from {@code offset}: encryption key,
     * then salt or integrity key. The caller still owns (and zeroes) {@code keyMaterial}.
     */
    public static EspKeys fromKeyMaterial(EspTransform transform, byte[] keyMaterial, int offset) {
        Objects.checkFromIndexSize(offset, transform.keyMaterialSize(), keyMaterial.length);
        int enc = transform.encryptionKeySize();
        int salt = transform.saltSize();
        int integ = transform.integrityKeySize();
        return new EspKeys(
                Arrays.copyOfRange(keyMaterial, offset, offset + enc),
                Arrays.copyOfRange(keyMaterial, offset + enc, offset + enc + salt),
                Arrays.copyOfRange(keyMaterial, offset + enc + salt, offset + enc + salt + integ));
    }

    /** Throws unless the key lengths are the ones {@code transform} needs. */
    public void requireFits(EspTransform transform) {
        if (encryptionKey.length != transform.encryptionKeySize() || salt.length != transform.saltSize()
                || integrityKey.length != transform.integrityKeySize()) {
            throw new IllegalArgumentException("keys (" + encryptionKey.length + "/" + salt.length + "/"
                    + integrityKey.length + " bytes) do not fit " + transform + " ("
                    + transform.encryptionKeySize() + "/" + transform.saltSize() + "/"
                    + transform.integrityKeySize() + ")");
        }
    }

    /** Zeroes every key byte this record holds. */
    public void destroy() {
        Arrays.fill(encryptionKey, (byte) 0);
        Arrays.fill(salt, (byte) 0);
        Arrays.fill(integrityKey, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EspKeys k && MessageDigest.isEqual(encryptionKey, k.encryptionKey)
                && MessageDigest.isEqual(salt, k.salt) && MessageDigest.isEqual(integrityKey, k.integrityKey);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * encryptionKey.length + salt.length) + integrityKey.length;
    }

    @Override
    public String toString() {
        return "EspKeys[encryption " + encryptionKey.length + " bytes, salt " + salt.length
                + " bytes, integrity " + integrityKey.length + " bytes]";
    }
}
