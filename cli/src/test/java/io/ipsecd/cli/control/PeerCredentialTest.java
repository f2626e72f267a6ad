package io.ipsecd.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipsecd.cli.DaemonProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon checks SO_PEERCRED itself, so even a socket whose file mode lets everyone connect
 * serves only allowed callers. Runs a client as uid 65534 (nobody), which needs root.
 */
@Tag("root")
class PeerCredentialTest {
  private static final String CLIENT = """
      import socket, sys
      s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      s.settimeout(10)
      s.connect(sys.argv[1])
      s.sendall(b'{"version":1,"id":"1","command":"status"}\\n')
      data = b''
      while True:
          chunk = s.recv(65536)
          if not chunk:
              break
          data += chunk
          if data.endswith(b'\\n') and b'"kind":"result"' in data:
              break
      sys.stdout.write(data.decode())
      """;

  @TempDir Path dir;

  @Test
  void aDisallowedUidIsRefusedAndLogged() throws Exception {
    assumeTrue(isRoot(), "skipped: needs root to run a control client as another uid");
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      daemon.writeConfig(DaemonProcess.config(dir, "")).start();
      openToEveryone(daemon.socket);
      String answer = runAsNobody(daemon.socket);
      assertThat(answer).contains("\"kind\":\"error\"").contains("\"code\":\"DENIED\"")
          .contains("permission denied: user nobody (group nogroup) may not use the ipsecd control socket")
          .doesNotContain("azure-vnet");
      assertThat(daemon.logText()).contains("WARN  ctl control socket: refused user nobody (group nogroup)");
      assertThat(daemon.ctl("stats", "--json").out()).contains("\"callersRefused\" : 1");

      // A reload that allows the user takes effect without a restart.
      daemon.writeConfig(DaemonProcess.config(dir, "").replace("global:\n", "global:\n  control: { allowed_users: [nobody] }\n"));
      assertThat(daemon.ctl("reload").exitCode()).isZero();
      assertThat(runAsNobody(daemon.socket)).contains("\"kind\":\"result\"");
    }
  }

  @Test
  void anAllowedUserIsServed() throws Exception {
    assumeTrue(isRoot(), "skipped: needs root to run a control client as another uid");
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      daemon.writeConfig(DaemonProcess.config(dir, "").replace("global:\n",
          "global:\n  control: { allowed_users: [nobody] }\n")).start();
      openToEveryone(daemon.socket);
      assertThat(runAsNobody(daemon.socket)).contains("\"kind\":\"result\"").contains("azure-vnet");
    }
  }

  @Test
  void theSocketIsMode0660WithTheConfiguredGroupAndAMissingGroupStopsTheStart() throws Exception {
    assumeTrue(isRoot(), "skipped: needs root to give the socket another group");
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      daemon.writeConfig(DaemonProcess.config(dir, "").replace("global:\n",
          "global:\n  control: { group: nogroup }\n")).start();
      assertThat(Files.getPosixFilePermissions(daemon.socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
      assertThat(Files.getAttribute(daemon.socket, "posix:group").toString()).isEqualTo("nogroup");
    }
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    try (DaemonProcess daemon = new DaemonProcess(other)) {
      daemon.writeConfig(DaemonProcess.config(other, "").replace("global:\n",
          "global:\n  control: { group: no-such-group-xyz }\n"));
      Process p = new ProcessBuilder(DaemonProcess.javaBin(), "-cp", System.getProperty("java.class.path"),
          "io.ipsecd.cli.daemon.IpsecdMain", "--config", daemon.config.toString(), "--socket", daemon.socket.toString())
          .redirectErrorStream(true).start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isEqualTo(3);
      assertThat(out).contains("cannot start: control socket " + daemon.socket + ": group 'no-such-group-xyz' "
          + "(global.control.group) does not exist; create it with 'groupadd --system no-such-group-xyz'")
          .doesNotContain("Exception");
      assertThat(Files.exists(daemon.socket)).isFalse();
    }
  }

  private static void openToEveryone(Path socket) throws Exception {
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
  }

  private static String runAsNobody(Path socket) throws Exception {
    Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "/usr/bin/python3", "-c", CLIENT, socket.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
