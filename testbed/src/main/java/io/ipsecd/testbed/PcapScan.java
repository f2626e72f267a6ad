package io.ipsecd.testbed;

import io.ipsecd.testbed.Probe.CaptureResult;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies every frame of an Ethernet pcap: IKE (UDP 500/4500 with a zero non-ESP marker),
 * ESP (IP protocol 50, or ESP-in-UDP on 4500 per RFC 3948), link housekeeping (ARP, IPv6
 * neighbour discovery and MLD) or anything else, which is a violation. Also searches every byte
 * for the plaintext marker. A hand-written reader: the format is tiny and streaming keeps memory flat.
 */
final class PcapScan {
    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86DD;
    private static final int ETH_ARP = 0x0806;

    private PcapScan() {}

    private static final class Counts {
        long packets, ike, esp, espBytes, housekeeping, other;
        boolean marker;
        final List<String> violations = new ArrayList<>();
    }

    static CaptureResult scan(Path pcap, String marker, String tcpdumpStats) {
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        Counts c = new Counts();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(pcap), 1 << 20))) {
            byte[] global = in.readNBytes(24);
            if (global.length < 24) throw new IllegalStateException("capture " + pcap + " is empty or truncated");
            ByteOrder order = readMagic(global);
            int linkType = ByteBuffer.wrap(global, 20, 4).order(order).getInt();
            if (linkType != 1) throw new IllegalStateException("expected an Ethernet capture, link type " + linkType);
            byte[] header = new byte[16];
            while (readFully(in, header)) {
                int captured = ByteBuffer.wrap(header, 8, 4).order(order).getInt();
                if (captured < 0 || captured > 1 << 18) throw new IllegalStateException("corrupt pcap record");
                byte[] frame = in.readNBytes(captured);
                if (frame.length < captured) break; // tcpdump was stopped mid-record
                c.packets++;
                classify(frame, c);
                if (!c.marker && indexOf(frame, needle) >= 0) c.marker = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read capture " + pcap, e);
        }
        return new CaptureResult(c.packets, c.ike, c.esp, c.espBytes, c.housekeeping, List.copyOf(c.violations),
                c.other, c.marker, tcpdumpStats);
    }

    private static ByteOrder readMagic(byte[] global) {
        int magic = ByteBuffer.wrap(global, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        return switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> ByteOrder.BIG_ENDIAN;
            case 0xd4c3b2a1, 0x4d3cb2a1 -> ByteOrder.LITTLE_ENDIAN;
            default -> throw new IllegalStateException("not a pcap file (magic " + Integer.toHexString(magic) + ")");
        };
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) return false;
        if (n < buf.length) throw new EOFException("truncated pcap record header");
        return true;
    }

    private static void classify(byte[] f, Counts c) {
        if (f.length < 14) { violation(c, "runt frame of " + f.length + " bytes"); return; }
        int type = u16(f, 12);
        switch (type) {
            case ETH_ARP -> c.housekeeping++;
            case ETH_IPV4 -> {
                int ihl = (f[14] & 0x0f) * 4;
                int proto = f[14 + 9] & 0xff;
                boolean laterFragment = (u16(f, 14 + 6) & 0x1fff) != 0;
                transport(f, c, proto, 14 + ihl, laterFragment, "IPv4");
            }
            case ETH_IPV6 -> {
                int next = f[14 + 6] & 0xff;
                int off = 14 + 40;
                while (next == 0 && off + 8 <= f.length) { // hop-by-hop options carry MLD's router alert
                    next = f[off] & 0xff;
                    off += ((f[off + 1] & 0xff) + 1) * 8;
                }
                transport(f, c, next, off, false, "IPv6");
            }
            default -> violation(c, "ethertype 0x" + Integer.toHexString(type));
        }
    }

    private static void transport(byte[] f, Counts c, int proto, int off, boolean laterFragment, String family) {
        switch (proto) {
            case 50 -> { c.esp++; c.espBytes += f.length - off; }
            case 17 -> {
                if (laterFragment) { c.ike++; return; } // a fragment of a large UDP datagram (IKE)
                if (off + 8 > f.length) { violation(c, family + " truncated UDP"); return; }
                int sport = u16(f, off), dport = u16(f, off + 2);
                if (!isIkePort(sport) && !isIkePort(dport)) {
                    violation(c, family + " UDP " + sport + " -> " + dport);
                } else if ((sport == 4500 || dport == 4500) && off + 12 <= f.length && u32(f, off + 8) != 0) {
                    c.esp++; // RFC 3948: a non-zero first word on 4500 is an ESP SPI
                    c.espBytes += f.length - off - 8;
                } else {
                    c.ike++;
                }
            }
            case 58 -> {
                int icmpType = off < f.length ? f[off] & 0xff : -1;
                boolean neighbourOrMld = (icmpType >= 130 && icmpType <= 137) || icmpType == 143;
                if (neighbourOrMld) c.housekeeping++;
                else violation(c, "ICMPv6 type " + icmpType);
            }
            default -> violation(c, family + " protocol " + proto);
        }
    }

    private static boolean isIkePort(int port) { return port == 500 || port == 4500; }

    private static void violation(Counts c, String what) {
        c.other++;
        if (c.violations.size() < 10) c.violations.add(what);
    }

    private static int u16(byte[] b, int off) { return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff); }

    private static long u32(byte[] b, int off) { return ((long) u16(b, off) << 16) | u16(b, off + 2); }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            if (hay[i] != needle[0]) continue;
            for (int j = 1; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
