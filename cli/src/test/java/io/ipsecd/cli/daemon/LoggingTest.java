package io.ipsecd.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.cli.DaemonProcess;
import io.ipsecd.cli.control.ControlProtocol;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingTest {
  @TempDir Path dir;

  @Test
  void jsonLogLinesCarryLevelSubsystemAndMessage() throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      daemon.writeConfig(DaemonProcess.config(dir, "")).start("--log-format", "json", "--log-level", "info");
      daemon.ctl("up", "azure-vnet");
      stop(daemon);
      List<JsonNode> lines = daemon.logText().lines().filter(l -> l.startsWith("{"))
          .map(LoggingTest::parse).toList();
      assertThat(lines).isNotEmpty();
      assertThat(daemon.logText().lines().filter(l -> !l.isBlank() && !l.startsWith("{"))).as("non-JSON lines").isEmpty();
      assertThat(lines).anySatisfy(l -> {
        assertThat(l.get("level").asText()).isEqualTo("WARN");
        assertThat(l.get("loggerName").asText()).isEqualTo("cfg");
        assertThat(l.get("formattedMessage").asText()).startsWith("azure-vnet: cannot bring up azure-vnet with 192.0.2.2");
      });
    }
  }

  @Test
  void eachSubsystemHasItsOwnLevel() throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      daemon.writeConfig(DaemonProcess.config(dir, "").replace("logging: { level: debug }",
          "logging: { level: warn, subsystems: { ctl: debug } }")).start();
      daemon.ctl("status");
      daemon.ctl("reload");
      stop(daemon);
      assertThat(daemon.logText()).contains("DEBUG ctl control: status from root:root")
          .doesNotContain("INFO  cfg").doesNotContain("reloaded");
    }
  }

  @Test
  void aReloadAppliesNewLogLevels() throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(dir)) {
      String quiet = DaemonProcess.config(dir, "").replace("logging: { level: debug }", "logging: { level: warn }");
      daemon.writeConfig(quiet).start();
      daemon.ctl("status");
      assertThat(daemon.logText()).doesNotContain("DEBUG ctl");
      daemon.writeConfig(quiet.replace("level: warn }", "level: warn, subsystems: { ctl: debug } }"));
      assertThat(daemon.ctl("reload").exitCode()).isZero();
      daemon.ctl("list-sas");
      stop(daemon);
      assertThat(daemon.logText()).contains("DEBUG ctl control: list-sas from root:root");
    }
  }

  private static void stop(DaemonProcess daemon) throws Exception {
    daemon.signal("TERM");
    assertThat(daemon.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
  }

  private static JsonNode parse(String line) {
    try {
      return ControlProtocol.JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
