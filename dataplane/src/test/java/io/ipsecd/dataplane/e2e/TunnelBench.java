package io.ipsecd.dataplane.e2e;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-stream TCP throughput through two static-key data planes (the {@link TwoGatewayLab}),
 * next to plain routing over the same veth, with iperf3. A benchmark, not a test: the 2-core VM
 * is shared and noisy (--raw: raw ESP instead of ESP-in-UDP; --details: interface and kernel
 * counters, and each gateway's own counters), so compare the two figures of one run. iperf3 leaves the first 2 s out
 * (-O 2): the gateways' JIT compiles the ESP path then. Run as root from the module
 * directory after {@code mvn -pl dataplane -am test-compile}:
 * <pre>
 *   source ../scripts/lib.sh &amp;&amp; require_jdk25
 *   java --enable-native-access=ALL-UNNAMED \
 *       -cp target/classes:target/test-classes:../esp/target/classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
 *       io.ipsecd.dataplane.e2e.TunnelBench [seconds] [--raw] [--details]
 * </pre>
 * Everything it creates (two namespaces, a veth pair, two TUNs, child processes) is removed on exit.
 */
public final class TunnelBench {
  private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");
  private static final Pattern RETRANSMITS = Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*\"retransmits\"\\s*:\\s*(\\d+)");

  private TunnelBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    java.util.Set<String> options = java.util.Set.of(args).stream().filter(a -> a.startsWith("--"))
        .collect(java.util.stream.Collectors.toSet());
    boolean raw = options.contains("--raw");
    try (TwoGatewayLab lab = new TwoGatewayLab().wire()) {
      System.out.println("plain veth routing: " + iperf(lab, lab.outerA, lab.outerB, seconds, "plain"));
      lab.startGateways(raw);
      iperf(lab, lab.innerA, lab.innerB, 4, "warm-up"); // lets the gateways' JIT compile the whole path first
      System.out.println("ipsecd " + (raw ? "raw ESP" : "ESP-in-UDP") + " AES-256-GCM: " + iperf(lab, lab.innerA, lab.innerB, seconds, "tunnel"));
      System.out.println("ipsecd, IPv6 inside: " + iperf(lab, lab.innerA6, lab.innerB6, seconds, "tunnel6"));
      if (options.contains("--details")) {
        for (String ns : List.of(lab.nsA, lab.nsB)) {
          System.out.println(ns + ": " + lab.exec(ns, "ip", "-s", "link").out());
          System.out.println(ns + ": " + lab.exec(ns, "nstat", "-az", "UdpRcvbufErrors", "UdpSndbufErrors", "UdpInErrors",
              "IpInUnknownProtos", "IcmpOutDestUnreachs").out());
        }
        System.out.println(lab.stopGateways());
      }
    }
  }

  private static String iperf(TwoGatewayLab lab, InetAddress from, InetAddress to, int seconds, String tag)
      throws Exception {
    Path serverLog = lab.dir.resolve(tag + "-server.log");
    Path clientLog = lab.dir.resolve(tag + "-client.json");
    lab.background(serverLog, List.of("ip", "netns", "exec", lab.nsB, "iperf3", "-s", "-1", "--forceflush", "-B", to.getHostAddress()));
    TwoGatewayLab.awaitLine(serverLog, l -> l.contains("Server listening"), 10);
    Process client = lab.background(clientLog, List.of("ip", "netns", "exec", lab.nsA, "iperf3", "-c",
        to.getHostAddress(), "-B", from.getHostAddress(), "-t", Integer.toString(seconds), "-O", "2", "-J"));
    if (!client.waitFor(seconds + 32L, TimeUnit.SECONDS)) {
      return "iperf3 did not finish";
    }
    String json = Files.readString(clientLog);
    Matcher rate = RECEIVED.matcher(json);
    Matcher retr = RETRANSMITS.matcher(json);
    if (!rate.find()) {
      return "no result: " + json.substring(0, Math.min(400, json.length()));
    }
    return String.format("%.2f Gbit/s, %s retransmits", Double.parseDouble(rate.group(1)) / 1e9,
        retr.find() ? retr.group(1) : "?");
  }
}
