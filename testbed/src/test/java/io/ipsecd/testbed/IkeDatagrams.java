package io.ipsecd.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IKE datagrams of an Ethernet pcap of IPv4 traffic (what {@link WanTcpdump} writes): who sent
 * each, how large its IP datagram was, whether IP had to fragment it, and its IKE header. Read
 * straight from the pcap format (a 24-byte file header, a 16-byte header per record), which is all
 * these checks need.
 */
final class IkeDatagrams {
    /** RFC 7383 §2.5: the Encrypted Fragment payload. */
    static final int SKF = 53;
    static final int IKE_AUTH = 35;
    static final int CREATE_CHILD_SA = 36;

    record IkeDatagram(String source, int ipLength, boolean ipFragment, int exchange, boolean response, int nextPayload,
                       long messageId) {
        boolean fragment() { return nextPayload == SKF; }
    }

    private IkeDatagrams() {}

    static List<IkeDatagram> read(Path pcap) {
        byte[] file;
        try {
            file = Files.readAllBytes(pcap);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read capture " + pcap, e);
        }
        if (file.length < 24) throw new IllegalStateException("capture " + pcap + " is empty or truncated");
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) b.order(ByteOrder.BIG_ENDIAN);
        List<IkeDatagram> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= file.length) {
            int captured = b.getInt(at + 8);
            int frame = at + 16;
            if (captured < 0 || frame + captured > file.length) break; // the last record, cut short by the stop
            ike(file, frame, captured).ifPresent(out::add);
            at = frame + captured;
        }
        return out;
    }

    private static java.util.Optional<IkeDatagram> ike(byte[] f, int frame, int length) {
        int ip = frame + 14;
        if (length < 14 + 20 + 8 || u16(f, frame + 12) != 0x0800 || (f[ip + 9] & 0xff) != 17) {
            return java.util.Optional.empty(); // not IPv4 UDP
        }
        int ipLength = u16(f, ip + 2);
        boolean ipFragment = (u16(f, ip + 6) & 0x3fff) != 0; // More Fragments or an offset
        String source = (f[ip + 12] & 0xff) + "." + (f[ip + 13] & 0xff) + "." + (f[ip + 14] & 0xff) + "."
                + (f[ip + 15] & 0xff);
        int udp = ip + (f[ip] & 0x0f) * 4;
        int sport = u16(f, udp);
        int dport = u16(f, udp + 2);
        int ike = udp + 8;
        if (sport == 4500 || dport == 4500) {
            if (ike + 4 > frame + length || (f[ike] | f[ike + 1] | f[ike + 2] | f[ike + 3]) != 0) {
                return java.util.Optional.empty(); // ESP in UDP or a NAT keepalive
            }
            ike += 4;
        } else if (sport != 500 && dport != 500) {
            return java.util.Optional.empty();
        }
        if (ipFragment && (u16(f, ip + 6) & 0x1fff) != 0) {
            return java.util.Optional.of(new IkeDatagram(source, ipLength, true, -1, false, -1, -1)); // a later IP fragment
        }
        if (ike + 28 > frame + length) return java.util.Optional.empty();
        long messageId = ByteBuffer.wrap(f, ike + 20, 4).getInt() & 0xffffffffL;
        return java.util.Optional.of(new IkeDatagram(source, ipLength, ipFragment, f[ike + 18] & 0xff,
                (f[ike + 19] & 0x20) != 0, f[ike + 16] & 0xff, messageId));
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
    }
}
