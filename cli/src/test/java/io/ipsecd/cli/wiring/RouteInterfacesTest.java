package io.ipsecd.cli.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipsecd.conf.Config;
import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.dataplane.DataplaneConfig;
import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.EspStatus;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import io.ipsecd.esp.TrafficSelector;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config's route-based connections become data plane interfaces, and the port puts IKE's
 * policies on them: a real data plane on loopback with TUNs of its own (removed when the test
 * ends), the peer a socket on 127.0.0.1. Needs root.
 */
@Tag("root")
class RouteInterfacesTest {
  private static final long PID = ProcessHandle.current().pid();
  // 198.18.250-254.x like DataplaneIpsecPortTest, in the upper half of the fourth octet.
  private static final String NET = "198.18." + (250 + PID % 5) + ".";
  private static final int REQID = 9, OUT_SPI = 0x5001;
  private static final TrafficSelector ANY = TrafficSelector.ofPrefix(InetAddress.ofLiteral("0.0.0.0"), 0);

  @TempDir Path dir;
  private final String main = "ipdr" + (PID % 100_000);
  private final String azure = "ipdz" + (PID % 100_000);
  private final InetAddress tunAddress = InetAddress.ofLiteral(NET + "129");
  private final byte[] key = new byte[36];
  private final List<String> errors = new ArrayList<>();
  private Dataplane dataplane;
  private RouteInterfaces interfaces;
  private DataplaneIpsecPort port;
  private DatagramSocket peer;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(isRoot() && Files.exists(Path.of("/dev/net/tun")), "needs root and /dev/net/tun (a real TUN device)");
    new java.security.SecureRandom().nextBytes(key);
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    dataplane = new Dataplane(DataplaneConfig.of(main, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withTunAddresses(List.of(new DataplaneConfig.TunAddress(tunAddress, 32))), IpCommandLinkConfigurator.create());
    interfaces = new RouteInterfaces(Optional.of(dataplane));
    interfaces.reportTo((connection, message) -> errors.add(connection + ": " + message));
    port = new DataplaneIpsecPort(dataplane, interfaces::placement);
    dataplane.start();
  }

  @AfterEach
  void stop() {
    if (peer != null) {
      peer.close();
    }
    if (dataplane != null) {
      dataplane.close();
      assertThat(Files.exists(Path.of("/sys/class/net", azure))).as("route-based TUN removed").isFalse();
    }
  }

  private Config config(String azureInterface) {
    String yaml = "connections:\n"
        + (azureInterface == null ? "" : "  azure:\n"
            + "    local: { address: 127.0.0.1 }\n"
            + "    remote: { address: 127.0.0.2 }\n"
            + "    psk: { env: PSK }\n"
            + "    interface: " + azureInterface + "\n"
            + "    children:\n"
            + "      vnet: { local_ts: [0.0.0.0/0], remote_ts: [0.0.0.0/0], mss_clamp: 1350 }\n")
        + "  branch:\n"
        + "    local: { address: 127.0.0.1 }\n"
        + "    remote: { address: 127.0.0.3 }\n"
        + "    psk: { env: PSK }\n"
        + "    children:\n"
        + "      lan: { local_ts: [" + NET + "128/32], remote_ts: [" + NET + "144/28] }\n";
    LoadResult r = ConfigLoader.parse(yaml, "test.yaml", dir, name -> "a-long-enough-pre-shared-key-for-tests");
    assertThat(r).isInstanceOf(LoadResult.Valid.class);
    return ((LoadResult.Valid) r).config();
  }

  @Test
  void aRouteBasedConnectionGetsItsInterfaceAndItsChildsPolicyLandsThere() throws Exception {
    interfaces.apply(config("{ name: " + azure + ", routes: [" + NET + "160/28], mtu: 1400 }"));
    assertThat(Files.readString(Path.of("/sys/class/net", azure, "mtu")).strip()).isEqualTo("1400");
    assertThat(interfaces.interfaceName("azure")).contains(azure);
    PolicyPlacement vnet = interfaces.placement("azure/vnet");
    assertThat(vnet.interfaceId()).isNotEqualTo(Policy.MAIN_INTERFACE).isNotEqualTo(PolicyPlacement.NO_INTERFACE);
    assertThat(vnet.mssClamp()).isEqualTo(1350);
    assertThat(interfaces.placement("branch/lan")).isEqualTo(PolicyPlacement.MAIN);
    assertThat(dataplane.interfaceName(vnet.interfaceId())).contains(azure);

    InetSocketAddress local = dataplane.udpSocket().orElseThrow().localAddress();
    port.addSa(new ChildSaInstall(REQID, params(OUT_SPI, SaDirection.OUTBOUND), local,
        (InetSocketAddress) peer.getLocalSocketAddress(), true));
    port.addPolicy(new IpsecPolicy(REQID, "azure/vnet", List.of(ANY), List.of(ANY), IpsecPolicy.Action.PROTECT,
        OptionalInt.of(OUT_SPI)));
    try (DatagramSocket app = new DatagramSocket(new InetSocketAddress(tunAddress, 0))) {
      byte[] b = "into azure".getBytes();
      app.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.ofLiteral(NET + "161"), 9)));
    }
    byte[] esp = receiveAtPeer(2000);
    assertThat(esp).as("routed into azure's interface, sent with its SA").isNotNull();
    assertThat(ByteBuffer.wrap(esp).getInt()).isEqualTo(OUT_SPI);
    InboundSa peerIn = InboundSa.create(params(OUT_SPI, SaDirection.INBOUND));
    assertThat(peerIn.decapsulate(esp, 0, esp.length, new byte[esp.length], 0)).isEqualTo(EspStatus.OK);
  }

  @Test
  void reloadsRecreateAChangedInterfaceAndRemoveAGoneOne() throws Exception {
    interfaces.apply(config("{ name: " + azure + ", routes: [" + NET + "160/28] }"));
    int first = interfaces.placement("azure/vnet").interfaceId();
    interfaces.apply(config("{ name: " + azure + ", routes: [" + NET + "160/28] }"));
    assertThat(interfaces.placement("azure/vnet").interfaceId()).as("unchanged: kept").isEqualTo(first);

    interfaces.apply(config("{ name: " + azure + ", routes: [" + NET + "176/28] }"));
    int second = interfaces.placement("azure/vnet").interfaceId();
    assertThat(second).as("routes changed: re-created").isNotEqualTo(first);
    String routes = run("ip", "route", "show", "dev", azure);
    assertThat(routes).contains(NET + "176/28").doesNotContain(NET + "160/28");

    interfaces.apply(config(null));
    assertThat(Files.exists(Path.of("/sys/class/net", azure))).as("connection removed: interface gone").isFalse();
    assertThat(interfaces.interfaceName("azure")).isEmpty();
    assertThat(errors).isEmpty();
  }

  @Test
  void anInterfaceThatCannotBeCreatedIsReportedAndItsChildFailsClosed() {
    interfaces.apply(config("{ name: lo }")); // taken by a device that is no TUN
    assertThat(errors).singleElement().asString().startsWith("azure: cannot create interface lo for its route-based child")
        .contains("ip link show lo");
    assertThat(interfaces.placement("azure/vnet").interfaceId()).isEqualTo(PolicyPlacement.NO_INTERFACE);
    assertThat(interfaces.placement("branch/lan")).isEqualTo(PolicyPlacement.MAIN);
  }

  private SaParameters params(int spi, SaDirection direction) {
    return SaParameters.of(spi, direction, EspTransform.AES_GCM_256,
        EspKeys.aead(Arrays.copyOf(key, 32), Arrays.copyOfRange(key, 32, 36)));
  }

  private byte[] receiveAtPeer(int millis) throws Exception {
    peer.setSoTimeout(millis);
    DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
    try {
      peer.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return new String(p.getInputStream().readAllBytes());
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
