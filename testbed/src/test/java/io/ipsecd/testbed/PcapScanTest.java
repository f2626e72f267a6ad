package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.Probe.CaptureResult;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAN check on hand-made frames: what counts as IKE, ESP, housekeeping and a leak. */
class PcapScanTest {
    private static final String MARKER = "IPT-PLAINTEXT-MARKER-0011223344";

    @TempDir
    Path dir;

    @Test
    void classifiesIkeEspAndHousekeeping() throws Exception {
        Path pcap = write(udp(500, 500, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), // IKE_SA_INIT
                udp(4500, 4500, new byte[] {0, 0, 0, 0, 9, 9, 9, 9}), // IKE after NAT-T: zero non-ESP marker
                udp(4500, 4500, new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 7, 7}), // ESP-in-UDP
                ipv4(50, new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 2}), // raw ESP
                arp());
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.packets()).isEqualTo(5);
        assertThat(r.ikePackets()).isEqualTo(2);
        assertThat(r.espPackets()).isEqualTo(2);
        assertThat(r.housekeeping()).isEqualTo(1);
        assertThat(r.otherPackets()).isZero();
        assertThat(r.markerFound()).isFalse();
    }

    @Test
    void flagsPlaintextAndForeignTraffic() throws Exception {
        byte[] leak = ("hello " + MARKER + " world").getBytes(StandardCharsets.US_ASCII);
        Path pcap = write(ipv4(6, leak), udp(53, 40000, new byte[8]));
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.markerFound()).isTrue();
        assertThat(r.otherPackets()).isEqualTo(2);
        assertThat(r.violations()).containsExactly("IPv4 protocol 6", "IPv4 UDP 53 -> 40000");
    }

    private Path write(byte[]... frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b2c3d4).putShort((short) 2)
                .putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1).array());
        for (byte[] f : frames) {
            out.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).putInt(f.length)
                    .putInt(f.length).array());
            out.write(f);
        }
        return Files.write(dir.resolve("t.pcap"), out.toByteArray());
    }

    private static byte[] ethernet(int type, byte[] payload) {
        return ByteBuffer.allocate(14 + payload.length).put(new byte[12]).putShort((short) type).put(payload).array();
    }

    private static byte[] ipv4(int proto, byte[] payload) {
        ByteBuffer ip = ByteBuffer.allocate(20 + payload.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putInt(0).put((byte) 64)
                .put((byte) proto).putShort((short) 0).put(new byte[] {(byte) 192, 0, 2, 1}).put(new byte[] {(byte) 192, 0, 2, 2})
                .put(payload);
        return ethernet(0x0800, ip.array());
    }

    private static byte[] udp(int sport, int dport, byte[] payload) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length).putShort((short) sport).putShort((short) dport)
                .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return ipv4(17, u.array());
    }

    private static byte[] arp() {
        return ethernet(0x0806, new byte[28]);
    }
}
