package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.testbed.Probe.CaptureResult;
import java.io.RandomAccessFile;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV4Rfc791Tos;
import org.pcap4j.packet.IpV6ExtHopByHopOptionsPacket;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.IpV6PadNOption;
import org.pcap4j.packet.IpV6SimpleFlowLabel;
import org.pcap4j.packet.IpV6SimpleTrafficClass;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.ArpHardwareType;
import org.pcap4j.packet.namednumber.ArpOperation;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.packet.namednumber.IcmpV6Code;
import org.pcap4j.packet.namednumber.IcmpV6Type;
import org.pcap4j.packet.namednumber.IpNumber;
import org.pcap4j.packet.namednumber.IpVersion;
import org.pcap4j.packet.namednumber.TcpPort;
import org.pcap4j.packet.namednumber.UdpPort;
import org.pcap4j.util.MacAddress;

/**
 * The WAN check on captures written with Pcap4J's dumper (no root, no interface): what counts as IKE,
 * ESP, housekeeping and a leak. Frames are padded to Ethernet's 60-byte minimum, as on a real wire.
 */
class PcapScanTest {
    private static final String MARKER = "IPT-PLAINTEXT-MARKER-0011223344";
    private static final MacAddress MAC_A = MacAddress.getByName("02:00:00:00:00:0a");
    private static final MacAddress MAC_B = MacAddress.getByName("02:00:00:00:00:0b");
    private static Inet4Address v4a, v4b;
    private static Inet6Address v6a, v6b;

    @TempDir
    Path dir;

    @BeforeAll
    static void addresses() throws Exception {
        v4a = (Inet4Address) InetAddress.getByName("192.0.2.1"); // literals: no name lookup
        v4b = (Inet4Address) InetAddress.getByName("192.0.2.2");
        v6a = (Inet6Address) InetAddress.getByName("fe80::a");
        v6b = (Inet6Address) InetAddress.getByName("ff02::16");
        PcapScan.chooseLibpcap(); // before Pcap4J's first use in this JVM, as the scanner does
    }

    @Test
    void countsIkeEspAndFlagsPlaintextTcp() throws Exception {
        Path pcap = write(udp(500, 500, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), // IKE_SA_INIT
                udp(4500, 4500, new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 7, 7}), // ESP-in-UDP
                ipv4(IpNumber.ESP, new UnknownPacket.Builder().rawData(new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 2})),
                tcp(("hello " + MARKER + " world").getBytes(StandardCharsets.US_ASCII)));
        CaptureResult r = PcapScan.scan(pcap, MARKER, "stats");
        assertThat(r.packets()).isEqualTo(4);
        assertThat(r.ikePackets()).isEqualTo(1);
        assertThat(r.espPackets()).isEqualTo(2);
        assertThat(r.espBytes()).isEqualTo(10 + 8); // the UDP payload and the IP payload, never the Ethernet pad
        assertThat(r.housekeeping()).isZero();
        assertThat(r.otherPackets()).isEqualTo(1);
        assertThat(r.violations()).containsExactly("IPv4 protocol 6");
        assertThat(r.markerFound()).isTrue();
        assertThat(r.tcpdumpStats()).isEqualTo("stats");
    }

    @Test
    void classifiesIkeEspAndHousekeeping() throws Exception {
        Path pcap = write(udp(500, 500, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), // IKE_SA_INIT
                udp(4500, 4500, new byte[] {0, 0, 0, 0, 9, 9, 9, 9}), // IKE after NAT-T: zero non-ESP marker
                udp(4500, 4500, new byte[] {(byte) 0xff}), // NAT-keepalive (the pad behind it is not an SPI)
                udp(4500, 4500, new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 7, 7}), // ESP-in-UDP
                ipv4(IpNumber.ESP, new UnknownPacket.Builder().rawData(new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 2})),
                arp(),
                icmpV6(IcmpV6Type.NEIGHBOR_SOLICITATION, false),
                icmpV6(IcmpV6Type.V2_MULTICAST_LISTENER_REPORT, true), // MLDv2 behind hop-by-hop options
                // IGMPv3 membership report, as a bridge port joining a group sends it
                ipv4(IpNumber.IGMP, new UnknownPacket.Builder().rawData(new byte[] {0x22, 0, (byte) 0xfa, 0x02, 0, 0, 0, 0})));
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.packets()).isEqualTo(9);
        assertThat(r.ikePackets()).isEqualTo(3);
        assertThat(r.espPackets()).isEqualTo(2);
        assertThat(r.housekeeping()).isEqualTo(4);
        assertThat(r.otherPackets()).isZero();
        assertThat(r.violations()).isEmpty();
        assertThat(r.markerFound()).isFalse();
    }

    /**
     * An MLDv2 report exactly as Linux sends it on a new interface: hop-by-hop header with a router alert
     * and a PadN carrying no data, which Pcap4J 1.8.2 mis-sizes (and then throws decoding "ICMPv6 type 1").
     */
    @Test
    void linuxMldV2ReportBehindRouterAlertIsHousekeeping() throws Exception {
        Path pcap = dir.resolve("mld.pcap");
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536);
                PcapDumper dumper = dead.dumpOpen(pcap.toString())) {
            dumper.dumpRaw(HexFormat.of().parseHex(LINUX_MLD_V2_REPORT));
        }
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.housekeeping()).isEqualTo(1);
        assertThat(r.violations()).isEmpty();
    }

    /** Captured on a testbed WAN: :: > ff02::16, HBH (rtalert, padn), MLDv2 report of 4 group records. */
    private static final String LINUX_MLD_V2_REPORT = "333300000016d6966050265386dd600000000060000100000000000000000000000000000000ff020000000000000000"
            + "0000000000163a000502000001008f0041970000000404000000ff0200000000000000000001ff00000004000000ff02"
            + "00000000000000000001ff00000204000000ff0200000000000000000001ff50265304000000ff020000000000000000"
            + "000000000002";

    @Test
    void flagsForeignUdpAndIcmpV6() throws Exception {
        Path pcap = write(udp(53, 40000, new byte[8]), icmpV6(IcmpV6Type.ECHO_REQUEST, false));
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.otherPackets()).isEqualTo(2);
        assertThat(r.violations()).containsExactly("IPv4 UDP 53 -> 40000", "ICMPv6 type 128");
        assertThat(r.markerFound()).isFalse();
    }

    @Test
    void fragmentsOfALargeIkeMessageAreIke() throws Exception {
        byte[] ike = new byte[64];
        ike[20] = 0x23; // anything after the SPIs
        UdpPacket whole = new UdpPacket.Builder().srcPort(UdpPort.ISAKMP).dstPort(UdpPort.ISAKMP).srcAddr(v4a)
                .dstAddr(v4b).payloadBuilder(new UnknownPacket.Builder().rawData(ike)).correctLengthAtBuild(true)
                .correctChecksumAtBuild(true).build();
        byte[] datagram = whole.getRawData();
        byte[] first = java.util.Arrays.copyOfRange(datagram, 0, 40);
        byte[] rest = java.util.Arrays.copyOfRange(datagram, 40, datagram.length);
        Path pcap = write(ipv4Fragment(first, true, 0), ipv4Fragment(rest, false, 40 / 8));
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.ikePackets()).isEqualTo(2);
        assertThat(r.otherPackets()).isZero();
    }

    @Test
    void aRecordCutShortByStoppingTcpdumpEndsTheCapture() throws Exception {
        Path pcap = write(udp(500, 500, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), udp(500, 500, new byte[100]));
        try (RandomAccessFile f = new RandomAccessFile(pcap.toFile(), "rw")) {
            f.setLength(f.length() - 30);
        }
        CaptureResult r = PcapScan.scan(pcap, MARKER, "");
        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.ikePackets()).isEqualTo(1);
    }

    @Test
    void refusesWhatIsNotAnEthernetCapture() throws Exception {
        Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        assertThatThrownBy(() -> PcapScan.scan(empty, MARKER, "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty or truncated");
        Path junk = Files.write(dir.resolve("junk.pcap"), new byte[64]);
        assertThatThrownBy(() -> PcapScan.scan(junk, MARKER, "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a readable pcap file");
        Path raw = dir.resolve("raw.pcap");
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.RAW, 65536); PcapDumper dumper = dead.dumpOpen(raw.toString())) {
            dumper.dump(ipv4(IpNumber.ESP, new UnknownPacket.Builder().rawData(new byte[8])).getPayload());
        }
        assertThatThrownBy(() -> PcapScan.scan(raw, MARKER, "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected an Ethernet capture");
    }

    private Path write(Packet... frames) throws Exception {
        Path pcap = dir.resolve("t.pcap");
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536);
                PcapDumper dumper = dead.dumpOpen(pcap.toString())) {
            for (Packet f : frames) dumper.dump(f);
        }
        return pcap;
    }

    private static EthernetPacket ethernet(EtherType type, Packet.Builder payload) {
        return new EthernetPacket.Builder().dstAddr(MAC_B).srcAddr(MAC_A).type(type).payloadBuilder(payload)
                .paddingAtBuild(true).build();
    }

    private static IpV4Packet.Builder ipv4Builder(IpNumber proto, Packet.Builder payload) {
        return new IpV4Packet.Builder().version(IpVersion.IPV4).tos(IpV4Rfc791Tos.newInstance((byte) 0))
                .ttl((byte) 64).protocol(proto).srcAddr(v4a).dstAddr(v4b).payloadBuilder(payload)
                .correctChecksumAtBuild(true).correctLengthAtBuild(true);
    }

    private static EthernetPacket ipv4(IpNumber proto, Packet.Builder payload) {
        return ethernet(EtherType.IPV4, ipv4Builder(proto, payload));
    }

    private static EthernetPacket ipv4Fragment(byte[] part, boolean more, int offsetIn8s) {
        return ethernet(EtherType.IPV4, ipv4Builder(IpNumber.UDP, new UnknownPacket.Builder().rawData(part))
                .identification((short) 7).moreFragmentFlag(more).fragmentOffset((short) offsetIn8s));
    }

    private static EthernetPacket udp(int sport, int dport, byte[] payload) {
        return ipv4(IpNumber.UDP, new UdpPacket.Builder().srcPort(UdpPort.getInstance((short) sport))
                .dstPort(UdpPort.getInstance((short) dport)).srcAddr(v4a).dstAddr(v4b)
                .payloadBuilder(new UnknownPacket.Builder().rawData(payload)).correctLengthAtBuild(true)
                .correctChecksumAtBuild(true));
    }

    private static EthernetPacket tcp(byte[] payload) {
        return ipv4(IpNumber.TCP, new TcpPacket.Builder().srcPort(TcpPort.getInstance((short) 40000))
                .dstPort(TcpPort.HTTP).sequenceNumber(1).acknowledgmentNumber(1).ack(true).psh(true)
                .window((short) 512).srcAddr(v4a).dstAddr(v4b)
                .payloadBuilder(new UnknownPacket.Builder().rawData(payload)).correctLengthAtBuild(true)
                .correctChecksumAtBuild(true));
    }

    private static EthernetPacket arp() {
        return ethernet(EtherType.ARP, new ArpPacket.Builder().hardwareType(ArpHardwareType.ETHERNET)
                .protocolType(EtherType.IPV4).hardwareAddrLength((byte) 6).protocolAddrLength((byte) 4)
                .operation(ArpOperation.REQUEST).srcHardwareAddr(MAC_A).srcProtocolAddr(v4a)
                .dstHardwareAddr(MacAddress.ETHER_BROADCAST_ADDRESS).dstProtocolAddr(v4b));
    }

    private static EthernetPacket icmpV6(IcmpV6Type type, boolean hopByHop) {
        Packet.Builder icmp = new IcmpV6CommonPacket.Builder().type(type).code(IcmpV6Code.NO_CODE).srcAddr(v6a)
                .dstAddr(v6b).payloadBuilder(new UnknownPacket.Builder().rawData(new byte[20]))
                .correctChecksumAtBuild(true);
        Packet.Builder l4 = icmp;
        IpNumber next = IpNumber.ICMPV6;
        if (hopByHop) {
            IpV6PadNOption pad = new IpV6PadNOption.Builder().data(new byte[4]).correctLengthAtBuild(true).build();
            l4 = new IpV6ExtHopByHopOptionsPacket.Builder().nextHeader(IpNumber.ICMPV6).options(List.of(pad))
                    .payloadBuilder(icmp).correctLengthAtBuild(true);
            next = IpNumber.IPV6_HOPOPT;
        }
        return ethernet(EtherType.IPV6, new IpV6Packet.Builder().version(IpVersion.IPV6)
                .trafficClass(IpV6SimpleTrafficClass.newInstance((byte) 0))
                .flowLabel(IpV6SimpleFlowLabel.newInstance(0)).nextHeader(next).hopLimit((byte) 1).srcAddr(v6a)
                .dstAddr(v6b).payloadBuilder(l4).correctLengthAtBuild(true));
    }
}
