package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IdPayload;
import io.ipsecd.ike.message.IdType;
import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadCodec;
import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SK payloads with fixed keys: the output is checked by decrypting and authenticating it again with
 * raw javax.crypto (an independent path), then opened by {@link SkCodec}; tampering is rejected.
 */
class SkCodecTest {
    static final HexFormat HEX = HexFormat.of();
    static final IkeHeader HEADER = new IkeHeader(0x0011223344556677L, 0x8899aabbccddeeffL, ExchangeType.IKE_AUTH, true,
            false, 1);
    static final List<Payload> INNER = List.of(
            new IdPayload(true, IdType.FQDN, Bytes.of("moon.example".getBytes())),
            new AuthPayload(AuthPayload.SHARED_KEY_MIC, Bytes.fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")),
            NotifyPayload.of(NotifyType.INITIAL_CONTACT));

    static byte[] key(int length, int start) {
        byte[] k = new byte[length];
        for (int i = 0; i < length; i++) {
            k[i] = (byte) (start + i);
        }
        return k;
    }

    static SkCipher aead(EncryptionAlgorithm alg, int bits, byte[] keyAndSalt) {
        return SkCipher.create(CipherSuite.aead(alg, bits), new DirectionKeys(SecretBytes.copyOf(keyAndSalt),
                SecretBytes.copyOf(new byte[0])), RandomSource.deterministic(1));
    }

    /** AES-GCM-16-256 with key 00..1f, salt a0a1a2a3, first IV 0: the whole datagram, pinned. */
    static final String GCM_FIXTURE_PREFIX = "0011223344556677 8899aabbccddeeff 2e 20 23 08 00000001";

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"AES_GCM_16, 128", "AES_GCM_16, 256", "AES_GCM_12, 256", "CHACHA20_POLY1305, 256"})
    void aeadSealMatchesRawJavaxAndOpens(EncryptionAlgorithm alg, int bits) throws Exception {
        byte[] keyAndSalt = key(bits / 8 + 4, 0);
        byte[] datagram = SkCodec.seal(HEADER, INNER, aead(alg, bits, keyAndSalt));

        byte[] chain = PayloadCodec.encodeChain(INNER);
        int icv = alg.icvBytes();
        assertThat(datagram).hasSize(28 + 4 + 8 + chain.length + 1 + icv);
        assertThat(HEX.formatHex(datagram, 0, 24)).isEqualTo(GCM_FIXTURE_PREFIX.replace(" ", ""));
        assertThat(datagram[28]).isEqualTo((byte) 35);                      // SK links to IDi
        assertThat(HEX.formatHex(datagram, 32, 40)).isEqualTo("0000000000000000"); // first IV of the counter

        byte[] nonce = new byte[12];
        System.arraycopy(keyAndSalt, bits / 8, nonce, 0, 4);
        System.arraycopy(datagram, 32, nonce, 4, 8);
        Cipher raw;
        if (alg == EncryptionAlgorithm.CHACHA20_POLY1305) {
            raw = Cipher.getInstance("ChaCha20-Poly1305");
            raw.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyAndSalt, 0, 32, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            raw = Cipher.getInstance("AES/GCM/NoPadding");
            raw.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyAndSalt, 0, bits / 8, "AES"), new GCMParameterSpec(icv * 8, nonce));
        }
        raw.updateAAD(datagram, 0, 32);
        byte[] plain = raw.doFinal(datagram, 40, datagram.length - 40);
        assertThat(plain).isEqualTo(Arrays.copyOf(chain, chain.length + 1)); // payloads, pad length 0

        SkOpenResult opened = SkCodec.open(datagram, IkeMessageCodec.decode(datagram), aead(alg, bits, keyAndSalt));
        assertThat(opened).isEqualTo(new SkOpenResult.Opened(INNER));
    }

    @Test
    void unimplementedCiphersAreRefusedAtCreation() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> aead(EncryptionAlgorithm.AES_GCM_8, 128, key(20, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("AES_GCM_8 is not implemented");
    }

    /** The whole AES-GCM-16-256 datagram, pinned; its correctness is shown by the raw javax check above. */
    @Test
    void gcmDatagramFixture() {
        byte[] datagram = SkCodec.seal(HEADER, INNER, aead(EncryptionAlgorithm.AES_GCM_16, 256, key(36, 0)));
        assertThat(HEX.formatHex(datagram)).isEqualTo(GCM_FIXTURE.replace(" ", ""));
    }

    static final String GCM_FIXTURE = "00112233445566778899aabbccddeeff2e20230800000001 0000007d" // header, SK first
            + "23 00 0061 0000000000000000"                                                        // SK -> IDi, IV 0
            + "bf1e2d5bbc269c21876f7f1df52e83603fecd44ee12b1d54616ec7c240707fd1ee7d5eee748b9d9b9a2007524427321e"
            + "d7656ac706f34c70f6c0b8b2ce971f54457927899d"                                          // ciphertext
            + "372226cbbadebf55e30f3ba9064155c3";                                                  // ICV

    @Test
    void aeadIvIsACounter() throws Exception {
        SkCipher c = aead(EncryptionAlgorithm.AES_GCM_16, 256, key(36, 0));
        SkCodec.seal(HEADER, INNER, c);
        byte[] second = SkCodec.seal(HEADER, INNER, c);
        assertThat(HEX.formatHex(second, 32, 40)).isEqualTo("0000000000000001");
    }

    @ParameterizedTest(name = "AES-CBC-{1} with {0}")
    @CsvSource({"HMAC_SHA2_256_128, 128", "HMAC_SHA2_384_192, 256", "HMAC_SHA2_512_256, 256", "HMAC_SHA1_96, 128"})
    void cbcSealMatchesRawJavaxAndOpens(IntegrityAlgorithm integ, int bits) throws Exception {
        byte[] encKey = key(bits / 8, 0x40);
        byte[] integKey = key(integ.keyBytes(), 0x80);
        CipherSuite suite = new CipherSuite(EncryptionAlgorithm.AES_CBC, bits, integ);
        DirectionKeys keys = new DirectionKeys(SecretBytes.copyOf(encKey), SecretBytes.copyOf(integKey));
        byte[] datagram = SkCodec.seal(HEADER, INNER, SkCipher.create(suite, keys, RandomSource.deterministic(7)));

        int icvOffset = datagram.length - integ.icvBytes();
        assertThat(Arrays.copyOfRange(datagram, 32, 48)).isEqualTo(RandomSource.deterministic(7).bytes(16));
        assertThat((icvOffset - 48) % 16).isZero();
        Mac mac = Mac.getInstance(integ.jceName());
        mac.init(new SecretKeySpec(integKey, integ.jceName()));
        mac.update(datagram, 0, icvOffset);
        assertThat(Arrays.copyOfRange(datagram, icvOffset, datagram.length))
                .isEqualTo(Arrays.copyOf(mac.doFinal(), integ.icvBytes()));

        Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
        raw.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encKey, "AES"), new IvParameterSpec(datagram, 32, 16));
        byte[] plain = raw.doFinal(datagram, 48, icvOffset - 48);
        int padLength = plain[plain.length - 1];
        byte[] chain = PayloadCodec.encodeChain(INNER);
        assertThat(plain.length - padLength - 1).isEqualTo(chain.length);
        assertThat(Arrays.copyOf(plain, chain.length)).isEqualTo(chain);

        SkOpenResult opened = SkCodec.open(datagram, IkeMessageCodec.decode(datagram),
                SkCipher.create(suite, keys, RandomSource.deterministic(99)));
        assertThat(opened).isEqualTo(new SkOpenResult.Opened(INNER));
    }

    static SkCipher cbc() {
        return SkCipher.create(new CipherSuite(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA2_256_128),
                new DirectionKeys(SecretBytes.copyOf(key(16, 1)), SecretBytes.copyOf(key(32, 2))), RandomSource.deterministic(3));
    }

    static List<SkCipher> ciphers() {
        return List.of(cbc(), aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)),
                aead(EncryptionAlgorithm.CHACHA20_POLY1305, 256, key(36, 6)));
    }

    static SkCipher twin(int index) {
        return ciphers().get(index);
    }

    @Test
    void tamperedIcvCiphertextIvOrHeaderIsRejected() throws Exception {
        for (int c = 0; c < 3; c++) {
            byte[] datagram = SkCodec.seal(HEADER, INNER, twin(c));
            for (int position : new int[] {datagram.length - 1, datagram.length - 30, 34, 20, 29}) {
                byte[] bad = datagram.clone();
                bad[position] ^= 0x01;
                SkOpenResult r = SkCodec.open(bad, IkeMessageCodec.decode(bad), twin(c));
                assertThat(r).as("cipher %d, byte %d", c, position)
                        .isEqualTo(new SkOpenResult.Rejected("integrity check failed"));
            }
        }
    }

    @Test
    void wrongKeyIsRejected() throws Exception {
        byte[] datagram = SkCodec.seal(HEADER, INNER, aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)));
        SkOpenResult r = SkCodec.open(datagram, IkeMessageCodec.decode(datagram),
                aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 6)));
        assertThat(r).isInstanceOf(SkOpenResult.Rejected.class);
    }

    @Test
    void bodyTooShortForIvAndIcvIsRejected() throws Exception {
        byte[] datagram = IkeMessageCodec.encode(new io.ipsecd.ike.message.IkeMessage(HEADER,
                new io.ipsecd.ike.message.SkPayload(35, Bytes.fromHex("00".repeat(24)))));
        assertThat(SkCodec.open(datagram, IkeMessageCodec.decode(datagram), aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5))))
                .isEqualTo(new SkOpenResult.Rejected("SK payload body of 24 bytes cannot hold IV, whole cipher blocks and ICV"));
        byte[] cbcMisaligned = IkeMessageCodec.encode(new io.ipsecd.ike.message.IkeMessage(HEADER,
                new io.ipsecd.ike.message.SkPayload(35, Bytes.fromHex("00".repeat(16 + 20 + 16)))));
        assertThat(SkCodec.open(cbcMisaligned, IkeMessageCodec.decode(cbcMisaligned), cbc()))
                .isInstanceOf(SkOpenResult.Rejected.class);
    }

    @Test
    void messageWithoutSkIsRejected() throws Exception {
        byte[] datagram = IkeMessageCodec.encode(new io.ipsecd.ike.message.IkeMessage(HEADER, List.of()));
        assertThat(SkCodec.open(datagram, IkeMessageCodec.decode(datagram), cbc()))
                .isEqualTo(new SkOpenResult.Rejected("no SK payload"));
    }

    /** Seals an arbitrary plaintext, bypassing SkCodec's own padding, to get authentic garbage. */
    static byte[] sealRaw(SkCipher c, int firstInner, byte[] plaintext) {
        int total = 28 + 4 + c.ivBytes() + plaintext.length + c.icvBytes();
        byte[] d = new byte[total];
        System.arraycopy(HEADER.encode(46, total), 0, d, 0, 28);
        d[28] = (byte) firstInner;
        d[30] = (byte) ((total - 28) >>> 8);
        d[31] = (byte) (total - 28);
        c.seal(d, 32, plaintext);
        return d;
    }

    @Test
    void authenticButMalformedInnerPayloadsAreMalformedNotRejected() throws Exception {
        SkCipher c = aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5));
        byte[] badChain = sealRaw(c, 41, HEX.parseHex("00 00 0003 00".replace(" ", "")));
        SkOpenResult r = SkCodec.open(badChain, IkeMessageCodec.decode(badChain), aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)));
        assertThat(r).isInstanceOfSatisfying(SkOpenResult.Malformed.class, m -> {
            assertThat(m.error().notifyType()).isEqualTo(NotifyType.INVALID_SYNTAX);
            assertThat(m.error().getMessage()).isEqualTo("NOTIFY payload at offset 0 has length 3, less than its 4-byte header");
        });

        byte[] badPad = sealRaw(aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)), 0, new byte[] {5});
        SkOpenResult p = SkCodec.open(badPad, IkeMessageCodec.decode(badPad), aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)));
        assertThat(p).isInstanceOfSatisfying(SkOpenResult.Malformed.class,
                m -> assertThat(m.error().getMessage()).isEqualTo("SK pad length 5 exceeds the 1-byte plaintext"));

        byte[] nested = sealRaw(aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)), 46, HEX.parseHex("0000000500" + "00"));
        SkOpenResult n = SkCodec.open(nested, IkeMessageCodec.decode(nested), aead(EncryptionAlgorithm.AES_GCM_16, 128, key(20, 5)));
        assertThat(n).isInstanceOfSatisfying(SkOpenResult.Malformed.class,
                m -> assertThat(m.error().getMessage()).isEqualTo("SK payload at offset 0 is inside another SK payload"));
    }

    @Test
    void emptyInnerChainRoundTrips() throws IkeDecodeException {
        byte[] d = SkCodec.seal(HEADER, List.of(), cbc());
        assertThat(d[28]).isZero();
        assertThat(SkCodec.open(d, IkeMessageCodec.decode(d), cbc())).isEqualTo(new SkOpenResult.Opened(List.of()));
    }
}
