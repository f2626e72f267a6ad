package io.ipsecd.esp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES-CBC (RFC 3602) with HMAC-SHA1-96 or HMAC-SHA2 (RFC 4868), encrypt-then-MAC over
 * SPI || seq || IV || ciphertext (|| seq-high with ESN, RFC 4303 section 2.2.1).
 *
 * <p>No per-packet cipher init and no allocation: the Cipher is initialised once with a zero IV.
 * <ul>
 * <li>Encrypt: the IV must be unpredictable. It is E_K(sequence number) (NIST SP 800-38A appendix
 *     C): CBC-encrypting the block {@code seq || 0} under the zero IV yields exactly that, and it
 *     then chains into the payload as its IV, as CBC with that IV would.
 * <li>Decrypt: running the packet's IV block through CBC first (output discarded) makes it the
 *     chaining value for the payload.
 * </ul>
 * The MAC is verified (in constant time) before anything is decrypted.
 */
final class CbcHmacProtection implements PacketProtection {
    private static final int BLOCK = 16;

    private final Cipher cipher;
    private final Mac mac;
    private final RawKey cipherKey;
    private final RawKey macKey;
    private final int mode;
    private final int icvSize;
    private final byte[] block = new byte[BLOCK];
    private final byte[] macOut;
    private final byte[] seqHigh = new byte[4];

    CbcHmacProtection(EspTransform transform, EspKeys keys, SaDirection direction) throws GeneralSecurityException {
        this.mode = direction == SaDirection.OUTBOUND ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
        this.cipherKey = new RawKey("AES", keys.encryptionKey());
        cipher.init(mode, cipherKey, new IvParameterSpec(new byte[BLOCK]));
        this.mac = Mac.getInstance(transform.integrity().macAlgorithm());
        this.macKey = new RawKey(transform.integrity().macAlgorithm(), keys.integrityKey());
        mac.init(macKey);
        this.icvSize = transform.icvSize();
        this.macOut = new byte[mac.getMacLength()];
    }

    private void computeMac(byte[] buf, int espOff, int authenticatedLength, long seq, boolean esn)
            throws GeneralSecurityException {
        mac.update(buf, espOff, authenticatedLength);
        if (esn) {
            EspPacket.putInt(seqHigh, 0, (int) (seq >>> 32));
            mac.update(seqHigh, 0, 4);
        }
        mac.doFinal(macOut, 0);
    }

    @Override
    public void seal(byte[] buf, int espOff, int paddedLength, long seq, boolean esn, long ivValue)
            throws GeneralSecurityException {
        int ivOff = espOff + EspPacket.HEADER_SIZE;
        EspPacket.putLong(block, 0, ivValue);
        EspPacket.putLong(block, 8, 0L);
        cipher.update(block, 0, BLOCK, buf, ivOff);
        cipher.doFinal(buf, ivOff + BLOCK, paddedLength, buf, ivOff + BLOCK);
        int authenticated = EspPacket.HEADER_SIZE + BLOCK + paddedLength;
        computeMac(buf, espOff, authenticated, seq, esn);
        System.arraycopy(macOut, 0, buf, espOff + authenticated, icvSize);
    }

    @Override
    public EspStatus open(byte[] pkt, int espOff, int cipherLength, long seq, boolean esn, byte[] dst, int dstOff)
            throws GeneralSecurityException {
        int authenticated = EspPacket.HEADER_SIZE + BLOCK + cipherLength;
        computeMac(pkt, espOff, authenticated, seq, esn);
        int icvOff = espOff + authenticated;
        int diff = 0;
        for (int i = 0; i < icvSize; i++) {
            diff |= macOut[i] ^ pkt[icvOff + i];
        }
        if (diff != 0) {
            return EspStatus.AUTH_FAILED;
        }
        int ivOff = espOff + EspPacket.HEADER_SIZE;
        cipher.update(pkt, ivOff, BLOCK, block, 0);
        cipher.doFinal(pkt, ivOff + BLOCK, cipherLength, dst, dstOff);
        return EspStatus.OK;
    }

    @Override
    public void destroy() {
        try {
            cipher.init(mode, cipherKey.zeroed(), new IvParameterSpec(new byte[BLOCK]));
            mac.init(macKey.zeroed());
        } catch (GeneralSecurityException | RuntimeException ignored) {
            // Best effort only; our own copies below are zeroed regardless.
        }
        cipherKey.destroy();
        macKey.destroy();
        java.util.Arrays.fill(macOut, (byte) 0);
        java.util.Arrays.fill(block, (byte) 0);
    }
}
