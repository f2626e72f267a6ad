package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;

/**
 * A negotiated encryption + integrity pair, for the IKE SA's SK payloads or an ESP child SA, and the
 * key lengths it needs. AEAD ciphers take no integrity transform (RFC 5282 §8: INTEG is NONE or
 * absent); the others need one.
 *
 * @param keyBits the Key Length attribute, or the fixed size for ciphers without one
 */
public record CipherSuite(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity) {
    public CipherSuite {
        if (!encryption.allowsKeyBits(keyBits)) {
            throw new IllegalArgumentException(encryption + " has no " + keyBits + "-bit key");
        }
        if (encryption.isAead() != (integrity == IntegrityAlgorithm.NONE)) {
            throw new IllegalArgumentException(encryption.isAead()
                    ? "AEAD cipher " + encryption + " takes no integrity algorithm, got " + integrity
                    : encryption + " needs an integrity algorithm");
        }
    }

    public static CipherSuite aead(EncryptionAlgorithm encryption, int keyBits) {
        return new CipherSuite(encryption, keyBits, IntegrityAlgorithm.NONE);
    }

    /** Key plus salt: AES-GCM-128 needs 20 bytes, ChaCha20-Poly1305 36 (RFC 5282 §7.1, RFC 7634 §3). */
    public int encryptionKeyBytes() {
        return encryption.keyMaterialBytes(keyBits);
    }

    public int integrityKeyBytes() {
        return integrity.keyBytes();
    }

    /** Keys for one direction: encryption then integrity, as KEYMAT lays them out (RFC 7296 §2.17). */
    public int directionKeyBytes() {
        return encryptionKeyBytes() + integrityKeyBytes();
    }
}
