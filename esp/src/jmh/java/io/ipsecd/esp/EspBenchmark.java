package io.ipsecd.esp;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Packets per second per core for one SA direction: encapsulate (copy in, pad, encrypt, ICV) and
 * decapsulate (replay check, verify, decrypt into a second buffer, trailer checks). Each op is one
 * packet of {@code size} inner bytes. Run through esp/bench.sh.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class EspBenchmark {
    private static final int RING = 1024;
    private static final int HEADROOM = 64;

    @Param({"AES_GCM_256", "CHACHA20_POLY1305", "AES_CBC_256_SHA256"})
    public String transform;

    @Param({"64", "512", "1400"})
    public int size;

    private OutboundSa outbound;
    private InboundSa inbound;
    private byte[] inner;
    private byte[] out;
    private byte[][] packets;
    private int[] lengths;
    private byte[] dst;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        EspTransform t = switch (transform) {
            case "AES_GCM_256" -> EspTransform.AES_GCM_256;
            case "CHACHA20_POLY1305" -> EspTransform.CHACHA20_POLY1305;
            case "AES_CBC_256_SHA256" -> EspTransform.cbc(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_256_128);
            default -> throw new IllegalArgumentException(transform);
        };
        byte[] keymat = new byte[t.keyMaterialSize()];
        new Random(1).nextBytes(keymat);
        EspKeys keys = EspKeys.fromKeyMaterial(t, keymat, 0);
        outbound = OutboundSa.create(SaParameters.of(0x1000, SaDirection.OUTBOUND, t, keys));
        inbound = InboundSa.create(SaParameters.of(0x1000, SaDirection.INBOUND, t, keys));
        inner = new byte[size];
        new Random(2).nextBytes(inner);
        inner[0] = 0x45;
        out = new byte[HEADROOM + t.encapsulatedLength(size)];
        dst = new byte[t.encapsulatedLength(size)];

        // Packets 1..RING for the decapsulation benchmark, from a separate sender.
        OutboundSa sender = OutboundSa.create(SaParameters.of(0x1000, SaDirection.OUTBOUND, t, keys));
        packets = new byte[RING][t.encapsulatedLength(size)];
        lengths = new int[RING];
        for (int i = 0; i < RING; i++) {
            if (sender.encapsulate(inner, 0, size, packets[i], 0) != EspStatus.OK) {
                throw new IllegalStateException("setup encapsulation failed");
            }
            lengths[i] = sender.length();
        }
    }

    @Benchmark
    public int encapsulate() {
        if (outbound.encapsulate(inner, 0, size, out, HEADROOM) != EspStatus.OK) {
            throw new IllegalStateException();
        }
        return outbound.length();
    }

    @Benchmark
    public int decapsulate() {
        int i = next;
        if (i == RING) {
            inbound.restartWindowAt(0); // replay the same RING packets again: once per RING ops
            i = 0;
        }
        next = i + 1;
        if (inbound.decapsulate(packets[i], 0, lengths[i], dst, 0) != EspStatus.OK) {
            throw new IllegalStateException();
        }
        return inbound.innerLength();
    }
}
