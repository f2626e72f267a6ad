package io.ipsecd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.ctl.IpsecctlMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ipsecd in a child JVM on the test classpath, with its config and socket in a temp dir.
 * Its stderr goes to a file that tests read and that a failing test shows.
 */
public final class DaemonProcess implements AutoCloseable {
  public static final String PSK = "demo-psk-Zq8v3Lw1Tn5Rb7Ky9Hx2";

  public final Path dir;
  public final Path config;
  public final Path socket;
  public final Path log;
  private Process process;

  public DaemonProcess(Path dir) throws IOException {
    this.dir = dir;
    this.config = dir.resolve("ipsecd.yaml");
    this.socket = dir.resolve("ipsecd.sock");
    this.log = dir.resolve("ipsecd.log");
    Path psk = dir.resolve("site.psk");
    Files.writeString(psk, PSK);
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
  }

  /** A two-connection config; {@code extra} is appended under connections. */
  public static String config(Path dir, String extra) {
    return """
        global:
          logging: { level: debug }
        connections:
          azure-vnet:
            local:  { address: 192.0.2.1, id: corp-gw.example.com, auth: psk }
            remote: { address: 192.0.2.2, id: 192.0.2.2, auth: psk }
            psk:    { file: %1$s/site.psk }
            ike:    { proposals: [aes256gcm16-prfsha384-ecp384] }
            children:
              vnet: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], esp_proposals: [aes256gcm16-ecp384], start: trap }
          aws-vpc:
            local:  { address: 192.0.2.1, id: 192.0.2.1, auth: psk }
            remote: { address: 198.51.100.7, id: 198.51.100.7, auth: psk }
            psk:    { file: %1$s/site.psk }
            ike:    { proposals: [aes128-sha256-modp2048] }
            children:
              vpc: { local_ts: [10.1.0.0/16], remote_ts: [172.31.0.0/16], esp_proposals: [aes128-sha256] }
        %2$s""".formatted(dir, extra);
  }

  public DaemonProcess writeConfig(String yaml) throws IOException {
    Files.writeString(config, yaml);
    return this;
  }

  /**
   * Starts the daemon with SIGHUP at its default disposition, as systemd starts it, even when this
   * test runs under nohup (an ignored SIGHUP is inherited, and the JVM then never handles it).
   */
  public DaemonProcess start(String... extraArgs) throws IOException, InterruptedException {
    return start(List.of("env", "--default-signal=HUP"), extraArgs);
  }

  /** Starts the daemon the way nohup would: with SIGHUP ignored. */
  public DaemonProcess startIgnoringSighup() throws IOException, InterruptedException {
    return start(List.of("bash", "-c", "trap '' HUP; exec \"$0\" \"$@\""));
  }

  private DaemonProcess start(List<String> launcher, String... extraArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
        "io.ipsecd.cli.daemon.IpsecdMain", "--config", config.toString(), "--socket", socket.toString()));
    cmd.addAll(List.of(extraArgs));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(socket) && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(Files.exists(socket)).as("control socket after start; log:%n%s", logText()).isTrue();
    return this;
  }

  public Process process() {
    return process;
  }

  public static String javaBin() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Runs ipsecctl in-process against this daemon. */
  public Result ctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cmd = IpsecctlMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  public record Result(int exitCode, String out, String err) {}

  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
