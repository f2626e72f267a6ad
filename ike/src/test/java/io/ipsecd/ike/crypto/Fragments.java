package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.VendorIdPayload;
import io.ipsecd.ike.sa.ManualEventLoop;
import io.ipsecd.ike.transform.EncryptionAlgorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared material for the fragmentation tests: ciphers (sender and receiver twins), messages, feeding. */
final class Fragments {
    static final IkeHeader HEADER = new IkeHeader(0x0011223344556677L, 0x8899aabbccddeeffL, ExchangeType.IKE_AUTH, true,
            false, 1);

    private Fragments() {
    }

    /** 0: AES-GCM-16-256, 1: AES-CBC-128 with HMAC-SHA2-256-128. A fresh instance with the same keys each call. */
    static SkCipher cipher(int index) {
        return index == 0 ? SkCodecTest.aead(EncryptionAlgorithm.AES_GCM_16, 256, SkCodecTest.key(36, 9)) : SkCodecTest.cbc();
    }

    /** Inner payloads whose encoded chain is exactly {@code chainBytes} long (at least 5): Vendor IDs of random bytes. */
    static List<Payload> inner(int chainBytes, long seed) {
        Random random = new Random(seed);
        List<Payload> payloads = new ArrayList<>();
        int left = chainBytes;
        while (left > 0) {
            int size = left <= 3004 ? left : Math.min(left - 5, 1 + random.nextInt(3000) + 4);
            byte[] body = new byte[size - 4];
            random.nextBytes(body);
            payloads.add(new VendorIdPayload(Bytes.of(body)));
            left -= size;
        }
        return payloads;
    }

    static IkeHeader header(long messageId) {
        return new IkeHeader(HEADER.initiatorSpi(), HEADER.responderSpi(), ExchangeType.IKE_AUTH, true, false, messageId);
    }

    static ManualEventLoop loop() {
        return new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
    }

    static FragmentReassembler.Result feed(FragmentReassembler reassembler, byte[] datagram) {
        try {
            return reassembler.accept(datagram, IkeMessageCodec.decode(datagram));
        } catch (IkeDecodeException e) {
            throw new AssertionError("a fragment the splitter made does not decode", e);
        }
    }
}
