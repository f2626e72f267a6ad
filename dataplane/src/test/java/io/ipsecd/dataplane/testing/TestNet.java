package io.ipsecd.dataplane.testing;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique interface and namespace names and test addresses, so that tests running concurrently
 * (other modules, other JVMs) never meet. Addresses come from the benchmark range 198.18.0.0/15,
 * third octet 200-249 chosen by pid, so they stay clear of the testbed's 198.18.1-9.x labs.
 */
public final class TestNet {
  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestNet() {}

  /** e.g. {@code ipd4711t3}: at most 15 bytes, as Linux requires. */
  public static String deviceName() {
    return "ipd" + (PID % 10_000_000) + "t" + (COUNTER.incrementAndGet() % 1000);
  }

  /** e.g. {@code ipd-4711-3}, for {@code ip netns add}. */
  public static String namespaceName() {
    return "ipd-" + PID + "-" + COUNTER.incrementAndGet();
  }

  /** A fresh /30: index 0 is the network, 1 our side, 2 the peer side. */
  public static InetAddress[] slash30() {
    int n = COUNTER.incrementAndGet() % 64;
    int third = 200 + (int) (PID % 50);
    byte[] base = {(byte) 198, 18, (byte) third, (byte) (n * 4)};
    InetAddress[] out = new InetAddress[3];
    for (int i = 0; i < 3; i++) {
      byte[] a = base.clone();
      a[3] += (byte) i;
      out[i] = address(a);
    }
    return out;
  }

  /** A /28 in 198.19.200-249.x for routes that point into a test device. */
  public static String routedSlash28() {
    return "198.19." + (200 + (int) (PID % 50)) + "." + (16 * (COUNTER.incrementAndGet() % 16)) + "/28";
  }

  public static boolean interfaceExists(String name) {
    return Files.exists(Path.of("/sys/class/net", name));
  }

  public static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
