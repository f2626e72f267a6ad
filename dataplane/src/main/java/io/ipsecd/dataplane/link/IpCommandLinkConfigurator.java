package io.ipsecd.dataplane.link;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link LinkConfigurator} that runs iproute2's {@code ip}. Simpler than speaking rtnetlink and, at
 * the rate interfaces and routes change (per child SA, not per packet), fast enough. A failure
 * reports the exact command, its exit status and what {@code ip} printed on stderr.
 */
public final class IpCommandLinkConfigurator implements LinkConfigurator {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> LOCATIONS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

  private final String ip;
  private final Optional<String> namespace;

  private IpCommandLinkConfigurator(String ip, Optional<String> namespace) {
    this.ip = ip;
    this.namespace = namespace;
  }

  /** Configures interfaces in the current network namespace. */
  public static IpCommandLinkConfigurator create() {
    return new IpCommandLinkConfigurator(findIp(), Optional.empty());
  }

  /** Configures interfaces inside the named network namespace ({@code ip -n NAME}). */
  public static IpCommandLinkConfigurator inNamespace(String namespace) {
    if (namespace.isBlank() || namespace.contains("/")) {
      throw new IllegalArgumentException("'" + namespace + "' is not a network namespace name");
    }
    return new IpCommandLinkConfigurator(findIp(), Optional.of(namespace));
  }

  private static String findIp() {
    return LOCATIONS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("ip");
  }

  @Override
  public void setMtu(String device, int mtu) throws LinkConfigException {
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " outside 68..65535");
    }
    run("link", "set", "dev", device, "mtu", Integer.toString(mtu));
  }

  @Override
  public void setTxQueueLength(String device, int packets) throws LinkConfigException {
    if (packets < 1) {
      throw new IllegalArgumentException("queue length " + packets + " must be positive");
    }
    run("link", "set", "dev", device, "txqueuelen", Integer.toString(packets));
  }

  @Override
  public void setUp(String device) throws LinkConfigException {
    run("link", "set", "dev", device, "up");
  }

  @Override
  public void disableIpv6LinkLocal(String device) throws LinkConfigException {
    run("link", "set", "dev", device, "addrgenmode", "none");
  }

  @Override
  public void setDown(String device) throws LinkConfigException {
    run("link", "set", "dev", device, "down");
  }

  @Override
  public void addAddress(String device, InetAddress address, int prefixLength) throws LinkConfigException {
    int bits = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + bits);
    }
    // "replace" rather than "add": re-applying a configuration must not fail with "File exists".
    run("address", "replace", address.getHostAddress() + "/" + prefixLength, "dev", device);
  }

  @Override
  public void addRoute(String device, IpPrefix destination) throws LinkConfigException {
    run(family(destination), "route", "replace", destination.toString(), "dev", device);
  }

  @Override
  public void removeRoute(String device, IpPrefix destination) throws LinkConfigException {
    try {
      run(family(destination), "route", "del", destination.toString(), "dev", device);
    } catch (LinkConfigException e) {
      // ip says "No such process" (ESRCH) for a route that isn't there: already the state we want.
      if (!e.getMessage().contains("No such process")) {
        throw e;
      }
    }
  }

  private static String family(IpPrefix prefix) {
    return prefix.isIpv6() ? "-6" : "-4";
  }

  private void run(String... args) throws LinkConfigException {
    List<String> command = new ArrayList<>();
    command.add(ip);
    namespace.ifPresent(ns -> command.addAll(List.of("-n", ns)));
    command.addAll(List.of(args));
    String shown = String.join(" ", command);
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new LinkConfigException("cannot run '" + shown + "': " + e.getMessage()
          + "; is iproute2 installed (apt-get install iproute2)?", e);
    }
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new LinkConfigException("'" + shown + "' did not finish within " + TIMEOUT.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        String stderr = stderr(process, shown);
        throw new LinkConfigException("'" + shown + "' failed (exit " + process.exitValue() + "): "
            + (stderr.isEmpty() ? "no message on stderr" : stderr)
            + (stderr.contains("Operation not permitted") ? "; run as root or grant CAP_NET_ADMIN" : ""));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LinkConfigException("interrupted while running '" + shown + "'", e);
    }
  }

  private static String stderr(Process process, String shown) throws LinkConfigException {
    try {
      return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new LinkConfigException("cannot read the error output of '" + shown + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ip" + namespace.map(ns -> " -n " + ns).orElse("") + " (" + ip + ")";
  }

}
