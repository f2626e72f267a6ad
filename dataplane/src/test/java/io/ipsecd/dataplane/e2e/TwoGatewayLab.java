package io.ipsecd.dataplane.e2e;

import io.ipsecd.dataplane.testing.Shell;
import io.ipsecd.dataplane.testing.TestNet;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Two gateway namespaces joined by a veth pair (the "WAN"), each running a {@link StaticTunnelMain}
 * data plane in a child JVM with crosswise static keys. Each gateway's TUN address stands in for
 * its host network. {@link #close()} kills every child process and deletes both namespaces (the
 * veth pair and the TUN devices go with them), whatever state the lab is in.
 */
final class TwoGatewayLab implements AutoCloseable {
  final String nsA = TestNet.namespaceName();
  final String nsB = TestNet.namespaceName();
  final String vethA = TestNet.deviceName();
  final String vethB = TestNet.deviceName();
  final InetAddress outerA;
  final InetAddress outerB;
  final String netA = TestNet.routedSlash28();
  final String netB = TestNet.routedSlash28();
  final InetAddress innerA = host(netA, 1);
  final InetAddress innerB = host(netB, 1);
  // IPv6 inner networks: unique-local, and only ever inside this lab's namespaces.
  final String netA6 = "fd00:a::/64";
  final String netB6 = "fd00:b::/64";
  final InetAddress innerA6 = InetAddress.ofLiteral("fd00:a::1");
  final InetAddress innerB6 = InetAddress.ofLiteral("fd00:b::1");
  final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> gateways = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  TwoGatewayLab() throws IOException {
    InetAddress[] wan = TestNet.slash30();
    outerA = wan[1];
    outerB = wan[2];
    dir = Files.createTempDirectory("ipsecd-e2e");
  }

  /** Namespaces, the veth pair with addresses, loopbacks up. */
  TwoGatewayLab wire() {
    for (String ns : List.of(nsA, nsB)) {
      Shell.check("ip", "netns", "add", ns);
      namespaces.add(ns);
      Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
      // No duplicate address detection: the TUN's IPv6 address is usable at once, not tentative.
      Shell.check("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
          "net.ipv6.conf.default.accept_dad=0");
    }
    Shell.check("ip", "link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB);
    Shell.check("ip", "-n", nsA, "address", "add", outerA.getHostAddress() + "/30", "dev", vethA);
    Shell.check("ip", "-n", nsB, "address", "add", outerB.getHostAddress() + "/30", "dev", vethB);
    Shell.check("ip", "-n", nsA, "link", "set", vethA, "up");
    Shell.check("ip", "-n", nsB, "link", "set", vethB, "up");
    return this;
  }

  /** Starts both gateways (ESP in UDP 4500) and waits until both report READY. */
  void startGateways() throws Exception {
    startGateways(false);
  }

  /** Starts both gateways, with raw ESP (IP protocol 50) if asked, and waits until both are READY. */
  void startGateways(boolean rawEsp) throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] aToB = new byte[36];
    byte[] bToA = new byte[36];
    random.nextBytes(aToB);
    random.nextBytes(bToA);
    HexFormat hex = HexFormat.of();
    Path logA = dir.resolve("gateway-a.log");
    Path logB = dir.resolve("gateway-b.log");
    gateways.add(java(nsA, logA, StaticTunnelMain.class, "tun=" + TestNet.deviceName(), "tunAddress=" + innerA.getHostAddress(),
        "localNet=" + netA, "remoteNet=" + netB, "local=" + outerA.getHostAddress(), "remote=" + outerB.getHostAddress(),
        "outSpi=a0b00001", "inSpi=b0a00001", "outKey=" + hex.formatHex(aToB), "inKey=" + hex.formatHex(bToA),
        "tunAddress6=" + innerA6.getHostAddress(), "localNet6=" + netA6, "remoteNet6=" + netB6,
        rawEsp ? "rawEsp=1" : "udp=1"));
    gateways.add(java(nsB, logB, StaticTunnelMain.class, "tun=" + TestNet.deviceName(), "tunAddress=" + innerB.getHostAddress(),
        "localNet=" + netB, "remoteNet=" + netA, "local=" + outerB.getHostAddress(), "remote=" + outerA.getHostAddress(),
        "outSpi=b0a00001", "inSpi=a0b00001", "outKey=" + hex.formatHex(bToA), "inKey=" + hex.formatHex(aToB),
        "tunAddress6=" + innerB6.getHostAddress(), "localNet6=" + netB6, "remoteNet6=" + netA6,
        rawEsp ? "rawEsp=1" : "udp=1"));
    awaitLine(logA, l -> l.startsWith("READY"), 30);
    awaitLine(logB, l -> l.startsWith("READY"), 30);
  }

  /** Stops the gateways (stdin EOF) and returns what they printed, their final counters included. */
  String stopGateways() throws Exception {
    StringBuilder out = new StringBuilder();
    for (Process p : gateways) {
      p.getOutputStream().close();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    for (String name : List.of("gateway-a.log", "gateway-b.log")) {
      out.append(name).append(":\n").append(Files.readString(dir.resolve(name)));
    }
    return out.toString();
  }

  /** Runs a class of the test classpath in a child JVM inside {@code ns}, stdout and stderr to {@code log}. */
  Process java(String ns, Path log, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-Xmx256m", "-cp", classpath(), main.getName()));
    command.addAll(List.of(args));
    return background(log, command);
  }

  /** Starts a command in the background, output to {@code log}; killed by {@link #close()}. */
  Process background(Path log, List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    return p;
  }

  Shell.Result exec(String ns, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return Shell.run(full.toArray(String[]::new));
  }

  /** Waits for a line in a log file; throws with the log's content when it does not come. */
  static String awaitLine(Path log, Predicate<String> wanted, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (wanted.test(line)) {
            return line;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no expected line in " + log + " within " + seconds + " s:\n"
        + (Files.exists(log) ? Files.readString(log) : "(no output)"));
  }

  /** The test classpath; surefire's booter jar only points at it, so prefer its own property. */
  private static String classpath() {
    String full = System.getProperty("surefire.test.class.path");
    return full != null && !full.isBlank() ? full : System.getProperty("java.class.path");
  }

  static InetAddress host(String slash28, int host) {
    byte[] a = InetAddress.ofLiteral(slash28.substring(0, slash28.indexOf('/'))).getAddress();
    a[3] += (byte) host;
    return TestNet.address(a);
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) {
      try {
        p.getOutputStream().close(); // gateways stop on stdin EOF, zeroing their keys
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Process p : processes) {
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
      }
    }
    for (String ns : namespaces) {
      Shell.run("ip", "netns", "del", ns);
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}
