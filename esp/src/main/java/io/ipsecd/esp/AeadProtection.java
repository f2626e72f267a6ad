package io.ipsecd.esp;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES-GCM (RFC 4106) and ChaCha20-Poly1305 (RFC 7634): nonce = 4-byte salt || 8-byte explicit IV,
 * AAD = SPI || seq, or SPI || seq-high || seq-low with ESN.
 *
 * <p>The explicit IV is the 64-bit sequence number: unique per key for the SA's life, which is all
 * both RFCs ask, and it never repeats because the sequence number never wraps.
 *
 * <p>Allocation: JCE takes a nonce only through an immutable {@code GCMParameterSpec} /
 * {@code IvParameterSpec}, so one spec (and the provider's copies of it) is allocated per packet.
 * There is no public way to re-key a JCE AEAD cipher with a new nonce without it; the cost is
 * measured in the JMH suite ({@code esp/bench.sh}, -prof gc).
 */
final class AeadProtection implements PacketProtection {
    private static final int TAG_BITS = 128;

    private final boolean gcm;
    private final Cipher cipher;
    private final RawKey key;
    private final int mode;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[12];

    AeadProtection(EspTransform transform, EspKeys keys, SaDirection direction) throws GeneralSecurityException {
        this.gcm = transform.encryption() != EspEncryption.CHACHA20_POLY1305;
        this.cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        this.key = new RawKey(transform.encryption().keyAlgorithm(), keys.encryptionKey());
        this.mode = direction == SaDirection.OUTBOUND ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        System.arraycopy(keys.salt(), 0, nonce, 0, 4);
    }

    private AlgorithmParameterSpec nonceSpec() {
        return gcm ? new GCMParameterSpec(TAG_BITS, nonce) : new IvParameterSpec(nonce);
    }

    private int prepareAad(byte[] buf, int espOff, long seq, boolean esn) {
        EspPacket.putInt(aad, 0, EspPacket.spi(buf, espOff));
        if (esn) {
            EspPacket.putLong(aad, 4, seq);
            return 12;
        }
        EspPacket.putInt(aad, 4, (int) seq);
        return 8;
    }

    @Override
    public void seal(byte[] buf, int espOff, int paddedLength, long seq, boolean esn, long ivValue)
            throws GeneralSecurityException {
        int ivOff = espOff + EspPacket.HEADER_SIZE;
        EspPacket.putLong(buf, ivOff, ivValue);
        EspPacket.putLong(nonce, 4, ivValue);
        int aadLength = prepareAad(buf, espOff, seq, esn);
        cipher.init(Cipher.ENCRYPT_MODE, key, nonceSpec());
        cipher.updateAAD(aad, 0, aadLength);
        int payloadOff = ivOff + 8;
        cipher.doFinal(buf, payloadOff, paddedLength, buf, payloadOff);
    }

    @Override
    public EspStatus open(byte[] pkt, int espOff, int cipherLength, long seq, boolean esn, byte[] dst, int dstOff)
            throws GeneralSecurityException {
        int ivOff = espOff + EspPacket.HEADER_SIZE;
        System.arraycopy(pkt, ivOff, nonce, 4, 8);
        int aadLength = prepareAad(pkt, espOff, seq, esn);
        cipher.init(Cipher.DECRYPT_MODE, key, nonceSpec());
        cipher.updateAAD(aad, 0, aadLength);
        try {
            cipher.doFinal(pkt, ivOff + 8, cipherLength + 16, dst, dstOff);
            return EspStatus.OK;
        } catch (AEADBadTagException e) {
            return EspStatus.AUTH_FAILED;
        }
    }

    @Override
    public void destroy() {
        try {
            // Re-keying with zeros overwrites the provider's expanded key where it reuses its arrays.
            EspPacket.putLong(nonce, 4, System.nanoTime());
            cipher.init(mode, key.zeroed(), nonceSpec());
        } catch (GeneralSecurityException | RuntimeException ignored) {
            // Best effort only; the key below is zeroed regardless.
        }
        key.destroy();
        java.util.Arrays.fill(nonce, (byte) 0);
    }
}
