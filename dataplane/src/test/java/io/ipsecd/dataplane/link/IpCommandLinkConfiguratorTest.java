package io.ipsecd.dataplane.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.dataplane.testing.Root;
import io.ipsecd.dataplane.testing.Shell;
import io.ipsecd.dataplane.testing.TestNet;
import io.ipsecd.dataplane.tun.LinuxTunDevice;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Configures a TUN device of the test's own, with a unique name; closing it removes routes and all. */
@Tag("root")
class IpCommandLinkConfiguratorTest {
  private final LinkConfigurator link = IpCommandLinkConfigurator.create();
  private LinuxTunDevice tun;

  @BeforeEach
  void openDevice() throws Exception {
    Root.assumeRoot();
    tun = LinuxTunDevice.open(TestNet.deviceName());
  }

  @AfterEach
  void closeDevice() {
    if (tun != null) {
      tun.close();
      assertThat(TestNet.interfaceExists(tun.name())).isFalse();
    }
  }

  @Test
  void setsMtuStateAddressAndRoutesIdempotently() throws Exception {
    InetAddress[] net = TestNet.slash30();
    IpPrefix routed = IpPrefix.parse(TestNet.routedSlash28());
    link.setMtu(tun.name(), 1400);
    link.addAddress(tun.name(), net[1], 30);
    link.addAddress(tun.name(), net[1], 30); // again: no "File exists"
    link.setUp(tun.name());
    link.addRoute(tun.name(), routed);
    link.addRoute(tun.name(), routed);

    assertThat(Files.readString(Path.of("/sys/class/net", tun.name(), "mtu")).strip()).isEqualTo("1400");
    assertThat(Files.readString(Path.of("/sys/class/net", tun.name(), "flags")).strip())
        .as("IFF_UP set").matches(f -> (Integer.decode(f) & 1) == 1);
    assertThat(Shell.check("ip", "-4", "addr", "show", "dev", tun.name()))
        .contains("inet " + net[1].getHostAddress() + "/30");
    assertThat(Shell.check("ip", "-4", "route", "show", "dev", tun.name())).contains(routed.toString());

    link.removeRoute(tun.name(), routed);
    link.removeRoute(tun.name(), routed); // already gone: fine
    assertThat(Shell.check("ip", "-4", "route", "show", "dev", tun.name())).doesNotContain(routed.toString());
    link.setDown(tun.name());
    assertThat(Integer.decode(Files.readString(Path.of("/sys/class/net", tun.name(), "flags")).strip()) & 1).isZero();
  }

  @Test
  void routesIpv6Too() throws Exception {
    Shell.run("sysctl", "-qw", "net.ipv6.conf." + tun.name() + ".disable_ipv6=0");
    link.setUp(tun.name());
    String text = "2001:db8:ffd:" + Long.toHexString(ProcessHandle.current().pid() % 0xffff + 1) + "::/64";
    link.addRoute(tun.name(), IpPrefix.parse(text));
    assertThat(Shell.check("ip", "-6", "route", "show", "dev", tun.name())).contains(text);
  }

  @Test
  void aFailureQuotesTheCommandAndIpsOwnWords() {
    String missing = TestNet.deviceName() + "x";
    assertThatThrownBy(() -> link.setMtu(missing, 1400))
        .isInstanceOf(LinkConfigException.class)
        .hasMessageStartingWith("'") // the command itself comes first, not a wrapper's words
        .hasMessageContaining("ip link set dev " + missing + " mtu 1400' failed (exit 1)")
        .hasMessageContaining("Cannot find device \"" + missing + "\"");
  }
}
