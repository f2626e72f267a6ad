package io.ipsecd.testbed;

import io.ipsecd.testbed.Probe.CaptureResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * tcpdump on the lab's WAN tap (the corp gateway's WAN port, the NAT router's outside port, or the
 * WAN bridge), writing a full-size pcap that {@link PcapScan} checks afterwards.
 */
final class WanTcpdump implements AutoCloseable {
    private final Path pcap;
    private final Path log;
    private final Process tcpdump;
    private boolean stopped;

    private WanTcpdump(Path pcap, Path log, Process tcpdump) {
        this.pcap = pcap;
        this.log = log;
        this.tcpdump = tcpdump;
    }

    static WanTcpdump start(Lab lab) {
        return start(lab, "wan");
    }

    /** A capture of its own, {@code name}.pcap, so that one lab can take several in turn. */
    static WanTcpdump start(Lab lab, String name) {
        Path dir = lab.dir("capture");
        Path pcap = dir.resolve(name + ".pcap");
        Path log = dir.resolve(name.equals("wan") ? "tcpdump.log" : "tcpdump-" + name + ".log");
        // -Z root: Debian's tcpdump would otherwise drop to a user that cannot write the lab dir.
        // --immediate-mode: without it libpcap hands packets over in blocks, after up to a second,
        // and the last packets of a short run were still in the kernel's ring when tcpdump stopped.
        Process p = Exec.start(log, Netns.exec(lab.wanTapNs(), List.of("tcpdump", "-i", lab.wanTapInterface(), "-n",
                "--immediate-mode", "-U", "-s", "0", "-B", "8192", "-Z", "root", "-w", pcap.toString())), Map.of());
        WanTcpdump c = new WanTcpdump(pcap, log, p);
        lab.onClose(c);
        lab.addLog("tcpdump on the WAN", log);
        HostProbes.awaitText(log, "listening on", Duration.ofSeconds(10));
        return c;
    }

    Path pcap() { return pcap; }

    /** Stops tcpdump (SIGTERM flushes the file) and scans the capture. */
    CaptureResult finish(String marker) {
        Exec.sleep(300); // what just crossed the WAN reaches tcpdump before it stops
        close();
        String stats = String.join("; ", Exec.tail(log, 400).lines().filter(l -> l.contains("packets")).toList());
        return PcapScan.scan(pcap, marker, stats);
    }

    @Override
    public void close() {
        if (stopped) return;
        stopped = true;
        Exec.stop(tcpdump, Duration.ofSeconds(10));
    }
}
