package io.ipsecd.testbed;

import io.ipsecd.testbed.Probe.CaptureResult;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.pcap4j.packet.namednumber.EtherType;

/**
 * Classifies every frame of an Ethernet pcap: IKE (UDP 500/4500 with a zero non-ESP marker),
 * ESP (IP protocol 50, or ESP-in-UDP on 4500 per RFC 3948), link housekeeping (ARP, IPv6
 * neighbour discovery, MLD and IGMP) or anything else, which is a violation. Also searches every frame's
 * bytes for the plaintext marker. Reads with Pcap4J over the native libpcap, one record at a time,
 * so memory stays flat however long the capture is.
 */
final class PcapScan {
    /** Records larger than this are corrupt (libpcap's own ceiling for Ethernet, 256 KiB). */
    static final int MAX_FRAME = 1 << 18;
    /** Pcap4J's system property for the native library it loads (read once, when Pcap4J first loads it). */
    static final String LIB_PROPERTY = "org.pcap4j.core.pcapLibName";
    /** Where Debian (libpcap0.8) and other common distributions put libpcap, most specific first. */
    static final List<String> LIBPCAP_CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libpcap.so", "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
            "/usr/lib/aarch64-linux-gnu/libpcap.so", "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8",
            "/lib/x86_64-linux-gnu/libpcap.so.0.8", "/lib/aarch64-linux-gnu/libpcap.so.0.8",
            "/usr/lib64/libpcap.so", "/usr/lib64/libpcap.so.1", "/usr/lib/libpcap.so", "/usr/lib/libpcap.so.0.8",
            "/usr/lib/libpcap.so.1");
    private static final int PCAP_GLOBAL_HEADER = 24;
    private static final int PCAP_RECORD_HEADER = 16;

    private static boolean libraryChosen;

    private PcapScan() {}

    private static final class Counts {
        long packets, ike, esp, espBytes, housekeeping, other;
        boolean marker;
        final List<String> violations = new ArrayList<>();
    }

    static CaptureResult scan(Path pcap, String marker, String tcpdumpStats) {
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        long size;
        try {
            size = Files.size(pcap);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read capture " + pcap, e);
        }
        if (size < PCAP_GLOBAL_HEADER) throw new IllegalStateException("capture " + pcap + " is empty or truncated");
        chooseLibpcap();
        Counts c = new Counts();
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(pcap.toString());
        } catch (PcapNativeException e) {
            throw new IllegalStateException("not a readable pcap file " + pcap + ": " + e.getMessage(), e);
        }
        try {
            if (handle.getDlt().value() != DataLinkType.EN10MB.value()) {
                throw new IllegalStateException("expected an Ethernet capture, link type " + handle.getDlt().value());
            }
            // Every record has a 16-byte header, so the file size bounds the number of records.
            long maxRecords = (size - PCAP_GLOBAL_HEADER) / PCAP_RECORD_HEADER;
            for (long i = 0; i < maxRecords; i++) {
                byte[] frame = next(handle, pcap);
                if (frame == null) break;
                if (frame.length > MAX_FRAME) throw new IllegalStateException("corrupt pcap record");
                c.packets++;
                classify(frame, c);
                if (!c.marker && indexOf(frame, needle) >= 0) c.marker = true;
            }
        } finally {
            handle.close();
        }
        return new CaptureResult(c.packets, c.ike, c.esp, c.espBytes, c.housekeeping, List.copyOf(c.violations),
                c.other, c.marker, tcpdumpStats);
    }

    /** The next frame's bytes, or null at the end of the capture (including a last record cut short). */
    private static byte[] next(PcapHandle handle, Path pcap) {
        try {
            return handle.getNextRawPacketEx();
        } catch (EOFException e) {
            return null;
        } catch (PcapNativeException e) {
            String why = String.valueOf(e.getMessage());
            // tcpdump was stopped mid-record: libpcap reports the short read of the frame's bytes.
            if (why.contains("truncated dump file") && why.contains("captured bytes")) return null;
            throw new IllegalStateException("corrupt pcap record in " + pcap + ": " + why, e);
        } catch (TimeoutException | NotOpenException e) {
            throw new IllegalStateException("cannot read capture " + pcap, e);
        }
    }

    /**
     * Pcap4J asks the dynamic loader for {@code libpcap.so}, which Debian ships only in the -dev package;
     * the runtime package has {@code libpcap.so.0.8}. Point Pcap4J at the full path of the library found,
     * before its first use. A path set by the caller wins.
     */
    static synchronized void chooseLibpcap() {
        if (libraryChosen) return;
        if (System.getProperty(LIB_PROPERTY) == null) {
            String found = LIBPCAP_CANDIDATES.stream().filter(p -> Files.exists(Path.of(p))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("libpcap not found (looked for "
                            + String.join(", ", LIBPCAP_CANDIDATES)
                            + "): install the Debian package libpcap0.8 (apt-get install libpcap0.8)"));
            System.setProperty(LIB_PROPERTY, found);
        }
        libraryChosen = true;
    }

    private static void classify(byte[] f, Counts c) {
        if (f.length < 14) { violation(c, "runt frame of " + f.length + " bytes"); return; }
        EthernetPacket eth;
        try { // the 14 header bytes only: Pcap4J decodes no further than it is given
            eth = EthernetPacket.newPacket(f, 0, 14);
        } catch (IllegalRawDataException | RuntimeException e) { // an IEEE 802.3 length instead of a type
            violation(c, "malformed Ethernet frame: " + e.getMessage());
            return;
        }
        int type = eth.getHeader().getType().value() & 0xffff;
        if (type == (EtherType.ARP.value() & 0xffff)) {
            c.housekeeping++;
        } else if (type == (EtherType.IPV4.value() & 0xffff)) {
            ipv4(f, c);
        } else if (type == (EtherType.IPV6.value() & 0xffff)) {
            ipv6(f, c);
        } else {
            violation(c, "ethertype 0x" + Integer.toHexString(type));
        }
    }

    private static void ipv4(byte[] f, Counts c) {
        IpV4Packet ip;
        try {
            ip = IpV4Packet.newPacket(f, 14, f.length - 14);
        } catch (IllegalRawDataException | RuntimeException e) { // Pcap4J failed on what it decodes inside
            violation(c, "IPv4 packet Pcap4J cannot decode: " + e.getMessage());
            return;
        }
        IpV4Packet.IpV4Header h = ip.getHeader();
        int off = 14 + h.length();
        boolean laterFragment = (h.getFragmentOffset() & 0x1fff) != 0;
        transport(f, off, off + length(ip.getPayload()), c, h.getProtocol().value() & 0xff, laterFragment, "IPv4");
    }

    /**
     * Pcap4J decodes the fixed header (given exactly its 40 bytes, so nothing behind it). The hop-by-hop
     * header that carries MLD's router alert is walked here by its length field: Pcap4J 1.8.2 sizes it from
     * the options it manages to parse, stops at the PadN with no data that Linux puts behind the router
     * alert, and so reads an MLDv2 report as ICMPv6 type 1 (or throws while decoding it).
     */
    private static void ipv6(byte[] f, Counts c) {
        IpV6Packet ip;
        try {
            ip = IpV6Packet.newPacket(f, 14, Math.min(40, f.length - 14));
        } catch (IllegalRawDataException | RuntimeException e) {
            violation(c, "malformed IPv6 packet: " + e.getMessage());
            return;
        }
        IpV6Packet.IpV6Header h = ip.getHeader();
        int payloadLength = h.getPayloadLengthAsInt();
        int end = payloadLength == 0 ? f.length : Math.min(f.length, 14 + 40 + payloadLength);
        int next = h.getNextHeader().value() & 0xff;
        int off = 14 + 40;
        while (next == 0 && off + 8 <= end) { // hop-by-hop options: next header, then length in 8-byte units less one
            next = f[off] & 0xff;
            off += ((f[off + 1] & 0xff) + 1) * 8;
        }
        transport(f, off, Math.max(off, end), c, next, false, "IPv6");
    }

    /** Classifies the IP payload {@code f[off, end)} by protocol number. */
    private static void transport(byte[] f, int off, int end, Counts c, int proto, boolean laterFragment,
                                  String family) {
        switch (proto) {
            case 50 -> { c.esp++; c.espBytes += Math.max(0, end - off); }
            case 17 -> {
                if (laterFragment) { c.ike++; return; } // a fragment of a large UDP datagram (IKE)
                UdpPacket udp = udp(f, off, end);
                if (udp == null) { violation(c, family + " truncated UDP"); return; }
                int sport = udp.getHeader().getSrcPort().valueAsInt();
                int dport = udp.getHeader().getDstPort().valueAsInt();
                byte[] data = udp.getPayload() == null ? new byte[0] : udp.getPayload().getRawData();
                if (!isIkePort(sport) && !isIkePort(dport)) {
                    violation(c, family + " UDP " + sport + " -> " + dport);
                } else if ((sport == 4500 || dport == 4500) && data.length >= 4
                        && (data[0] | data[1] | data[2] | data[3]) != 0) {
                    c.esp++; // RFC 3948: a non-zero first word on 4500 is an ESP SPI
                    c.espBytes += data.length;
                } else {
                    c.ike++; // IKE (zero non-ESP marker on 4500) or a one-byte 0xFF NAT-keepalive
                }
            }
            case 58 -> {
                // The type is the first byte; decoding the rest (Pcap4J rebuilds the packet an error quotes) can throw.
                int icmpType = off < end ? f[off] & 0xff : -1;
                boolean neighbourOrMld = (icmpType >= 130 && icmpType <= 137) || icmpType == 143;
                if (neighbourOrMld) c.housekeeping++;
                else violation(c, "ICMPv6 type " + icmpType);
            }
            // IGMP: the IPv4 twin of MLD, sent when an interface joins a multicast group (the multi-site bridge).
            case 2 -> {
                if (family.equals("IPv4")) c.housekeeping++;
                else violation(c, family + " protocol " + proto);
            }
            default -> violation(c, family + " protocol " + proto);
        }
    }

    /**
     * The UDP datagram at {@code f[off, end)}, or null when it is shorter than a UDP header or Pcap4J cannot
     * decode it. Decoded from the bytes, so the first fragment of a fragmented datagram (which Pcap4J leaves
     * undecoded inside the IP packet) still shows its ports. The payload is bounded by the UDP length field.
     */
    private static UdpPacket udp(byte[] f, int off, int end) {
        if (end - off < 8) return null;
        try {
            return UdpPacket.newPacket(f, off, end - off);
        } catch (IllegalRawDataException | RuntimeException e) {
            return null;
        }
    }

    private static int length(Packet p) { return p == null ? 0 : p.length(); }

    private static boolean isIkePort(int port) { return port == 500 || port == 4500; }

    private static void violation(Counts c, String what) {
        c.other++;
        if (c.violations.size() < 10) c.violations.add(what);
    }

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
