package io.ipsecd.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.cli.DaemonProcess;
import io.ipsecd.cli.DaemonProcess.Result;
import io.ipsecd.cli.control.ControlProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipsecctl against a real ipsecd in its own JVM. */
class DaemonEndToEndTest {
  @TempDir Path dir;
  DaemonProcess daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = new DaemonProcess(dir);
    daemon.writeConfig(DaemonProcess.config(dir, "")).start();
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void statusListsEveryConfiguredConnectionAsDown() throws Exception {
    Result text = daemon.ctl("status");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("azure-vnet: down, 192.0.2.1:500 (corp-gw.example.com) -> 192.0.2.2:500 (192.0.2.2)")
        .contains("vnet: down, start trap, 10.1.0.0/16 === 10.2.0.0/16, esp aes256gcm16-ecp384")
        .contains("aws-vpc: down")
        .contains("2 configured, 0 up (2 children, 0 installed)");

    JsonNode json = ControlProtocol.JSON.readTree(daemon.ctl("status", "--json").out());
    assertThat(json.at("/summary/configured").asInt()).isEqualTo(2);
    assertThat(json.at("/connections/0/name").asText()).isEqualTo("azure-vnet");
    assertThat(json.at("/connections/0/children/0/remoteTs/0").asText()).isEqualTo("10.2.0.0/16");
    assertThat(json.at("/connections/1/ikeProposals/0").asText()).isEqualTo("aes128-sha256-prfsha256-modp2048");
  }

  @Test
  void upFailsWithAnAdminMessageThatStatusThenShowsAsLastError() {
    Result up = daemon.ctl("up", "azure-vnet/vnet");
    assertThat(up.exitCode()).isEqualTo(1);
    // 192.0.2.1 is not an address of the test host: no IKE socket, and up says which one and why.
    assertThat(up.err()).startsWith("ipsecctl: cannot bring up azure-vnet/vnet with 192.0.2.2: "
        + "cannot bind IKE socket 192.0.2.1:500: ");
    assertThat(daemon.ctl("status").out()).containsPattern(
        "    last error \\S+Z \\(\\d+s ago\\): cannot bring up azure-vnet/vnet with 192.0.2.2");
    assertThat(daemon.logText()).contains("WARN  cfg azure-vnet/vnet: cannot bring up");
  }

  @Test
  void unknownNamesAreRefusedWithTheConfiguredOnes() {
    Result up = daemon.ctl("up", "azur-vnet");
    assertThat(up.exitCode()).isEqualTo(1);
    assertThat(up.err()).isEqualTo("ipsecctl: no connection named 'azur-vnet'; configured: azure-vnet, aws-vpc\n");
    Result child = daemon.ctl("down", "aws-vpc/vcp");
    assertThat(child.err()).isEqualTo("ipsecctl: connection aws-vpc has no child named 'vcp'; its children: vpc\n");
  }

  @Test
  void listSasStatsAndVersion() throws Exception {
    assertThat(daemon.ctl("list-sas").out()).isEqualTo("no IKE SAs\n");
    assertThat(ControlProtocol.JSON.readTree(daemon.ctl("list-sas", "--json").out()).get("ikeSas").isEmpty()).isTrue();
    Result stats = daemon.ctl("stats");
    assertThat(stats.out()).contains("ipsecd 0.1.0, up ").contains("2 connections, 2 children").contains("SAs: 0 IKE, 0 Child");
    JsonNode statsJson = ControlProtocol.JSON.readTree(daemon.ctl("stats", "--json").out());
    assertThat(statsJson.get("controlRequests").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(daemon.ctl("version").out()).isEqualTo("ipsecctl 0.1.0\nipsecd   0.1.0 (control protocol 1)\n");
  }

  @Test
  void reloadAppliesOnlyTheChangesAndABadConfigKeepsTheRunningOne() throws Exception {
    daemon.ctl("up", "aws-vpc");
    String added = """
          branch:
            local:  { address: 192.0.2.1, id: corp, auth: psk }
            remote: { address: 203.0.113.9, id: branch, auth: psk }
            psk:    { file: %s/site.psk }
            children:
              lan: { local_ts: [10.1.0.0/16], remote_ts: [10.9.0.0/16] }
        """.formatted(dir);
    daemon.writeConfig(DaemonProcess.config(dir, added).replace("remote_ts: [10.2.0.0/16]", "remote_ts: [10.3.0.0/16]"));
    Result ok = daemon.ctl("reload");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("1 added, 0 removed, 1 changed, 1 unchanged");
    String status = daemon.ctl("status").out();
    assertThat(status).contains("branch: down").contains("10.3.0.0/16").contains("3 configured");
    // The unchanged connection keeps what it had, including its last error.
    assertThat(status).contains("cannot bring up aws-vpc with 198.51.100.7");

    daemon.writeConfig(DaemonProcess.config(dir, "").replace("aes256gcm16-ecp384]", "aes257gcm16]")
        .replace("start: trap", "start: sometimes"));
    Result bad = daemon.ctl("reload");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("ipsecctl: config has 2 error(s); the running config is unchanged\n");
    assertThat(bad.err().lines().filter(l -> l.startsWith("  " + daemon.config + ":")).count()).isEqualTo(2);
    assertThat(bad.err()).contains("aes257gcm16").contains("sometimes");
    assertThat(daemon.ctl("status").out()).contains("branch: down").contains("3 configured");
  }

  @Test
  void aDaemonStartedWithSighupIgnoredSaysHowToReload() throws Exception {
    daemon.close();
    Files.deleteIfExists(dir.resolve("ipsecd.sock")); // the killed daemon's socket is not a started one
    daemon = new DaemonProcess(dir);
    daemon.writeConfig(DaemonProcess.config(dir, "")).startIgnoringSighup();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!daemon.logText().contains("started with") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(daemon.logText()).contains("SIGHUP is ignored in this process").contains("ipsecctl reload");
  }

  @Test
  void sighupReloads() throws Exception {
    daemon.writeConfig(DaemonProcess.config(dir, "").replaceAll("(?s)  aws-vpc:.*", ""));
    daemon.signal("HUP");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!daemon.ctl("status").out().contains("1 configured") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String status = daemon.ctl("status").out();
    if (!status.contains("1 configured")) { // say where the reload is stuck, if it is
      Process dump = new ProcessBuilder(Path.of(DaemonProcess.javaBin()).resolveSibling("jcmd").toString(),
          Long.toString(daemon.process().pid()), "Thread.print").redirectErrorStream(true).start();
      String threads = new String(dump.getInputStream().readAllBytes());
      dump.waitFor(10, TimeUnit.SECONDS);
      assertThat(status).as("status after SIGHUP; daemon log:%n%s%nthreads:%n%s", daemon.logText(), threads)
          .contains("1 configured");
    }
    assertThat(status).doesNotContain("aws-vpc");
    assertThat(daemon.logText()).contains("(requested by SIGHUP)");
  }

  @Test
  void sigtermExitsCleanlyWithinTwoSecondsAndRemovesTheSocket() throws Exception {
    long t0 = System.nanoTime();
    daemon.signal("TERM");
    assertThat(daemon.process().waitFor(2, TimeUnit.SECONDS)).as("exited within 2 s").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(daemon.process().exitValue()).isZero();
    assertThat(Files.exists(daemon.socket)).isFalse();
    assertThat(daemon.logText()).contains("shutting down (SIGTERM)").contains("ipsecd stopped");
  }

  @Test
  void monitorStreamsReloadEvents() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    Process monitor = new ProcessBuilder(DaemonProcess.javaBin(), "-cp", System.getProperty("java.class.path"),
        "io.ipsecd.cli.ctl.IpsecctlMain", "--socket", daemon.socket.toString(), "monitor").start();
    try {
      Thread.ofVirtual().start(() -> {
        try {
          monitor.getInputStream().transferTo(out);
        } catch (java.io.IOException e) {
          // the monitor was stopped
        }
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (!out.toString().contains("monitor-started") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      daemon.ctl("reload");
      while (!out.toString().contains("reloaded") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(out.toString()).containsPattern("\\S+Z reloaded: reloaded .* 0 added, 0 removed, 0 changed, 2 unchanged");
    } finally {
      monitor.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
