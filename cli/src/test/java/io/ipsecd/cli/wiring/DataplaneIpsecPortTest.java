package io.ipsecd.cli.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.dataplane.DataplaneConfig;
import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.EspStatus;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import io.ipsecd.esp.TrafficSelector;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.port.PortListener;
import io.ipsecd.ike.port.SaId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The port adapter on a real data plane: a TUN of its own in this namespace (removed when the test
 * ends) and a peer socket on 127.0.0.1 that decrypts with the esp transforms. Needs root.
 */
@Tag("root")
class DataplaneIpsecPortTest {
  private static final long PID = ProcessHandle.current().pid();
  private static final int OUT_SPI = 0x3001, IN_SPI = 0x4001, REQID = 7;
  // 198.18.250-254.x: clear of the dataplane tests' 198.18.200-249 and 198.19.x ranges.
  private static final String NET = "198.18." + (250 + PID % 5) + ".";

  private final String device = "ipdw" + (PID % 100_000);
  private final InetAddress tunAddress = InetAddress.ofLiteral(NET + "1");
  private final InetAddress remoteHost = InetAddress.ofLiteral(NET + "17");
  private final byte[] key = new byte[36];
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private Dataplane dataplane;
  private DataplaneIpsecPort port;
  private DatagramSocket peer;
  private DatagramSocket app;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(isRoot() && Files.exists(Path.of("/dev/net/tun")), "needs root and /dev/net/tun (a real TUN device)");
    new java.security.SecureRandom().nextBytes(key);
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    dataplane = new Dataplane(DataplaneConfig.of(device, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withTunAddresses(List.of(new DataplaneConfig.TunAddress(tunAddress, 32))), IpCommandLinkConfigurator.create());
    port = new DataplaneIpsecPort(dataplane);
    port.listen(new PortListener() {
      @Override public void acquire(int reqid, TrafficSelector src, TrafficSelector dst) {
        events.add("acquire " + reqid + " " + dst.startAddress().getHostAddress());
      }

      @Override public void expired(SaId id, boolean hard) {
        events.add("expired " + id + " " + hard);
      }

      @Override public void unknownSpi(int spi, InetSocketAddress from) {
        events.add("unknown " + Integer.toHexString(spi));
      }
    });
    dataplane.start();
    app = new DatagramSocket(new InetSocketAddress(tunAddress, 0));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (peer != null) {
      peer.close();
    }
    if (dataplane != null) {
      dataplane.close();
    }
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private SaParameters params(int spi, SaDirection direction) {
    return SaParameters.of(spi, direction, EspTransform.AES_GCM_256,
        EspKeys.aead(Arrays.copyOf(key, 32), Arrays.copyOfRange(key, 32, 36)));
  }

  private ChildSaInstall child(int spi, SaDirection direction) {
    return new ChildSaInstall(REQID, params(spi, direction), dataplane.udpSocket().orElseThrow().localAddress(),
        (InetSocketAddress) peer.getLocalSocketAddress(), true);
  }

  private IpsecPolicy policy(IpsecPolicy.Action action, OptionalInt outboundSpi) {
    return new IpsecPolicy(REQID, "wired", List.of(TrafficSelector.ofPrefix(tunAddress, 32)),
        List.of(TrafficSelector.ofPrefix(InetAddress.ofLiteral(NET + "16"), 28)), action, outboundSpi);
  }

  private void sendFromApp(byte[] payload) throws Exception {
    app.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(remoteHost, 9999)));
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

  @Test
  void saAndPolicyInstalledThroughThePortCarryTrafficAndDeletingTheSaFailsClosed() throws Exception {
    ChildSaInstall out = child(OUT_SPI, SaDirection.OUTBOUND);
    port.addSa(out);
    port.addSa(child(IN_SPI, SaDirection.INBOUND));
    port.addPolicy(policy(IpsecPolicy.Action.PROTECT, OptionalInt.of(OUT_SPI)));

    sendFromApp("through the port".getBytes());
    byte[] esp = receiveAtPeer(2000);
    assertThat(esp).isNotNull();
    InboundSa peerIn = InboundSa.create(params(OUT_SPI, SaDirection.INBOUND));
    assertThat(peerIn.decapsulate(esp, 0, esp.length, new byte[esp.length], 0)).isEqualTo(EspStatus.OK);
    assertThat(port.usage(new SaId(OUT_SPI, SaDirection.OUTBOUND)).orElseThrow().packets()).isEqualTo(1);
    assertThat(port.usage(new SaId(IN_SPI, SaDirection.INBOUND))).isPresent();

    port.deleteSa(new SaId(OUT_SPI, SaDirection.OUTBOUND));
    port.deleteSa(new SaId(OUT_SPI, SaDirection.OUTBOUND)); // gone already: not an error
    assertThat(out.esp().keys().encryptionKey()).as("keys zeroed").containsOnly(0);
    sendFromApp("must not leave".getBytes());
    assertThat(receiveAtPeer(300)).isNull();
    assertThat(dataplane.drops().noSa()).isEqualTo(1);
    assertThat(port.usage(new SaId(OUT_SPI, SaDirection.OUTBOUND))).isEmpty();
  }

  @Test
  void aTrapPolicyRaisesAnAcquireWithTheReqidAndErrorsBecomePortExceptions() throws Exception {
    port.addPolicy(policy(IpsecPolicy.Action.TRAP, OptionalInt.empty()));
    sendFromApp("first packet".getBytes());
    assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo("acquire " + REQID + " " + remoteHost.getHostAddress());
    assertThatThrownBy(() -> port.switchOutbound(REQID, 0x9999)).isInstanceOf(IpsecPortException.class)
        .hasMessageContaining("not installed");
    port.addSa(child(IN_SPI, SaDirection.INBOUND));
    assertThatThrownBy(() -> port.addSa(child(IN_SPI, SaDirection.INBOUND))).isInstanceOf(IpsecPortException.class)
        .hasMessageContaining("already installed");
  }

  @Test
  void anUnknownSpiReachesThePortListener() throws Exception {
    byte[] bogus = {0, 0, 0x55, 0x55, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8};
    peer.send(new DatagramPacket(bogus, bogus.length, dataplane.udpSocket().orElseThrow().localAddress()));
    assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo("unknown 5555");
  }
}
