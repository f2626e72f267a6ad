package io.ipsecd.esp;

import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bare SunJCE AES-256-GCM cost per packet (init with a fresh nonce, 8-byte AAD, doFinal), the
 * ceiling for {@link EspBenchmark}: on a shared machine, compare the two within one run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class JceBaselineBenchmark {
    @Param({"64", "512", "1400"})
    public int size;

    private Cipher cipher;
    private SecretKey key;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[8];
    private byte[] in;
    private byte[] out;
    private long counter;

    @Setup
    public void setUp() throws Exception {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        key = new SecretKeySpec(new byte[32], "AES");
        in = new byte[size];
        out = new byte[size + 16];
    }

    @Benchmark
    public int gcmEncrypt() throws Exception {
        EspPacket.putLong(nonce, 4, ++counter);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad, 0, 8);
        return cipher.doFinal(in, 0, size, out, 0);
    }
}
