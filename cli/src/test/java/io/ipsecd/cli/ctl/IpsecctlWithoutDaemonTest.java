package io.ipsecd.cli.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.DaemonProcess;
import io.ipsecd.cli.DaemonProcess.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpsecctlWithoutDaemonTest {
  @TempDir Path dir;

  @Test
  void saysInOneLineThatTheDaemonIsNotRunning() {
    Result r = DaemonProcess.run("--socket", dir.resolve("nope.sock").toString(), "status");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("ipsecctl: ipsecd is not running: no control socket at " + dir.resolve("nope.sock")
        + " (start it with 'systemctl start ipsecd', or point --socket at the right path)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aStaleSocketFileIsReportedAsNotRunning() throws Exception {
    Path stale = dir.resolve("stale.sock");
    try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ch.bind(java.net.UnixDomainSocketAddress.of(stale));
    }
    Result r = DaemonProcess.run("--socket", stale.toString(), "list-sas");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).startsWith("ipsecctl: ipsecd is not running: nothing answers on " + stale).doesNotContain("Exception");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    Result r = DaemonProcess.run("up");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter: 'NAME[/CHILD]'");
    assertThat(DaemonProcess.run("frobnicate").err()).contains("Unmatched argument at index 0: 'frobnicate'");
  }

  @Test
  void generatesBashCompletionAndAManPage() throws Exception {
    Result completion = DaemonProcess.run("generate-completion");
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out()).contains("complete -F _complete_ipsecctl").contains("list-sas");
    Result man = DaemonProcess.run("gen-manpage", "--outdir", dir.toString());
    assertThat(man.exitCode()).as(man.err()).isZero();
    assertThat(java.nio.file.Files.readString(dir.resolve("ipsecctl.adoc"))).contains("= ipsecctl(1)").contains("list-sas");
  }
}
