package io.ipsecd.dataplane.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Skips root-only tests with a reason that shows up in the test report. */
public final class Root {
  private Root() {}

  public static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0")); // effective uid
    } catch (IOException e) {
      return false;
    }
  }

  public static void assumeRoot() {
    assumeTrue(isRoot(), "needs root (CAP_NET_ADMIN / CAP_NET_RAW): run the root-tagged tests as root");
    assumeTrue(Files.exists(Path.of("/dev/net/tun")), "needs /dev/net/tun");
  }
}
