package io.ipsecd.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.DaemonProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives every command and error path at trace level and greps everything printed for the PSK. */
class SecretsNeverPrintedTest {
  @TempDir Path dir;

  @Test
  void thePskAppearsInNoLogAndNoOutput() throws Exception {
    List<String> printed = new ArrayList<>();
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      daemon.writeConfig(DaemonProcess.config(dir, "")).start("--log-level", "trace");
      for (String[] args : new String[][] {{"status"}, {"status", "--json"}, {"list-sas", "--json"}, {"stats", "--json"},
          {"up", "azure-vnet"}, {"rekey", "aws-vpc/vpc"}, {"down", "azure-vnet"}, {"reload"}}) {
        DaemonProcess.Result r = daemon.ctl(args);
        printed.add(r.out());
        printed.add(r.err());
      }
      // A bad reload whose errors sit next to the secret: an inline PSK is refused without being echoed.
      daemon.writeConfig(DaemonProcess.config(dir, "").replace("psk:    { file: " + dir + "/site.psk }",
          "psk:    \"" + DaemonProcess.PSK + "\""));
      DaemonProcess.Result bad = daemon.ctl("reload");
      assertThat(bad.exitCode()).isEqualTo(1);
      printed.add(bad.err());
      printed.add(check(daemon.config));
      daemon.signal("TERM");
      daemon.process().waitFor(5, TimeUnit.SECONDS);
      printed.add(daemon.logText());
    }
    assertThat(printed.get(printed.size() - 1)).as("debug log was written")
        .contains("DEBUG ctl control: reload").contains("expected a mapping, found a string");
    assertThat(String.join("\n", printed)).doesNotContain(DaemonProcess.PSK).doesNotContain("Zq8v3Lw1");
  }

  private static String check(Path config) throws Exception {
    Process p = new ProcessBuilder(DaemonProcess.javaBin(), "-cp", System.getProperty("java.class.path"),
        "io.ipsecd.cli.daemon.IpsecdMain", "--check", config.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    return out;
  }
}
