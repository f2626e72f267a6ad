package io.ipsecd.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.dataplane.testing.LoopbackPeer;
import io.ipsecd.dataplane.testing.Packets;
import io.ipsecd.dataplane.testing.Root;
import io.ipsecd.dataplane.testing.Shell;
import io.ipsecd.dataplane.testing.TestNet;
import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.EspStatus;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.OutboundSa;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import io.ipsecd.esp.TrafficSelector;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
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
 * One data plane on a real TUN in this namespace, its peer a plain UDP socket on 127.0.0.1 that
 * runs the esp transforms itself: what leaves is checked byte for byte, what enters is crafted.
 * Traffic stays on loopback and inside the test's own TUN.
 */
@Tag("root")
class DataplaneLoopbackTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int OUT_SPI = 0x1001, OUT_SPI_2 = 0x1002, IN_SPI = 0x2001, IN_SPI_2 = 0x2002;

  private final String device = TestNet.deviceName();
  private final InetAddress tunAddress = TestNet.slash30()[1];
  private final String remoteNet = TestNet.routedSlash28();
  private final InetAddress remoteHost = remoteHostOf(remoteNet, 1);
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final byte[] outKey = LoopbackPeer.randomKey(), inKey = LoopbackPeer.randomKey(), outKey2 = LoopbackPeer.randomKey(), inKey2 = LoopbackPeer.randomKey();
  private final List<String> routeChanges = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Dataplane dp;
  private DatagramSocket peer;
  private DatagramSocket app;
  private InetSocketAddress dpUdp;

  @BeforeEach
  void start() throws Exception {
    Root.assumeRoot();
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    peer.setSoTimeout(2000);
    DataplaneConfig config = DataplaneConfig.of(device, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withTunAddresses(List.of(new DataplaneConfig.TunAddress(tunAddress, 32)));
    dp = new Dataplane(config, recording(IpCommandLinkConfigurator.create()));
    dp.listen(new DataplaneListener() {
      @Override public void acquire(int policyId, TrafficSelector src, TrafficSelector dst) {
        events.add("acquire " + policyId + " " + src + " > " + dst);
      }

      @Override public void expired(int spi, SaDirection direction, boolean hard) {
        events.add("expired " + spi + " " + direction + " " + hard);
      }

      @Override public void unknownSpi(int spi, InetSocketAddress from) {
        events.add("unknown " + Integer.toHexString(spi));
      }
    });
    dp.start();
    dpUdp = dp.udpSocket().orElseThrow().localAddress(); // a new ephemeral port: the peer sends there now
    app = new DatagramSocket(new InetSocketAddress(tunAddress, 0));
    app.setSoTimeout(2000);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (peer != null) {
      peer.close();
    }
    if (dp != null) {
      dp.close();
    }
    assertThat(TestNet.interfaceExists(device)).as("TUN removed").isFalse();
  }

  /** The real configurator, with a note of every route change it makes. */
  private io.ipsecd.dataplane.link.LinkConfigurator recording(io.ipsecd.dataplane.link.LinkConfigurator real) {
    return (io.ipsecd.dataplane.link.LinkConfigurator) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {io.ipsecd.dataplane.link.LinkConfigurator.class}, (proxy, m, args) -> {
          if (m.getName().endsWith("Route")) {
            routeChanges.add(m.getName() + " " + args[1]);
          }
          try {
            return m.invoke(real, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aChildThatLosesItsSaKeepsItsRoutesSoItsTrafficIsDroppedNotRoutedElsewhere() throws Exception {
    dp.addSa(install(OUT_SPI, SaDirection.OUTBOUND, outKey));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));
    assertThat(routeChanges).singleElement().asString().startsWith("addRoute");
    routeChanges.clear();

    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.empty())); // IKE's drop policy replaces it
    assertThat(dp.deleteSa(OUT_SPI, SaDirection.OUTBOUND)).isTrue();
    assertThat(routeChanges).as("the route into the TUN never went away").isEmpty();
    sendFromApp("must not leave");
    assertThat(receiveEsp(300)).isNull();
    assertThat(dp.drops().noSa()).isEqualTo(1);
  }

  private static InetAddress remoteHostOf(String slash28, int host) {
    byte[] a = InetAddress.ofLiteral(slash28.substring(0, slash28.indexOf('/'))).getAddress();
    a[3] += (byte) host;
    return TestNet.address(a);
  }

  private SaInstall install(int spi, SaDirection direction, byte[] key) {
    return new SaInstall(1, LoopbackPeer.params(spi, direction, key), dpUdp, (InetSocketAddress) peer.getLocalSocketAddress(), true);
  }

  private Policy policy(Policy.Action action, OptionalInt spi) {
    return new Policy(1, "loop", List.of(TrafficSelector.ofPrefix(tunAddress, 32)),
        List.of(TrafficSelector.ofPrefix(InetAddress.ofLiteral(remoteNet.substring(0, remoteNet.indexOf('/'))), 28)),
        action, spi);
  }

  private void sendFromApp(String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    app.send(new DatagramPacket(b, b.length, new InetSocketAddress(remoteHost, 9999)));
  }

  /** The next ESP packet at the peer, or null within {@code millis}. */
  private byte[] receiveEsp(int millis) throws Exception {
    return LoopbackPeer.receive(peer, millis);
  }

  /** Decrypts at the peer and returns the inner UDP payload as text. */
  private static String openAtPeer(InboundSa sa, byte[] esp) {
    byte[] out = new byte[esp.length];
    assertThat(sa.decapsulate(esp, 0, esp.length, out, 0)).isEqualTo(EspStatus.OK);
    return new String(Packets.udpPayload(out, 0, sa.innerLength()), StandardCharsets.UTF_8);
  }

  private void sendFromPeer(OutboundSa sa, InetAddress innerSource, String text) throws Exception {
    byte[] inner = Packets.udp(innerSource, tunAddress, 9999, app.getLocalPort(), text.getBytes(StandardCharsets.UTF_8));
    byte[] esp = new byte[inner.length + 64];
    assertThat(sa.encapsulate(inner, 0, inner.length, esp, 0)).isEqualTo(EspStatus.OK);
    peer.send(new DatagramPacket(esp, sa.length(), dpUdp));
  }

  private String receiveAtApp() throws Exception {
    byte[] b = LoopbackPeer.receive(app, 2000);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void packetsLeaveEncryptedAndComeBackDecrypted() throws Exception {
    dp.addSa(install(OUT_SPI, SaDirection.OUTBOUND, outKey));
    dp.addSa(install(IN_SPI, SaDirection.INBOUND, inKey));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));
    InboundSa peerIn = InboundSa.create(LoopbackPeer.params(OUT_SPI, SaDirection.INBOUND, outKey));
    OutboundSa peerOut = OutboundSa.create(LoopbackPeer.params(IN_SPI, SaDirection.OUTBOUND, inKey));

    sendFromApp("hello through the tunnel");
    byte[] esp = receiveEsp(2000);
    assertThat(esp).as("ESP at the peer").isNotNull();
    assertThat(new String(esp, StandardCharsets.ISO_8859_1)).doesNotContain("hello through");
    assertThat(openAtPeer(peerIn, esp)).isEqualTo("hello through the tunnel");

    sendFromPeer(peerOut, remoteHost, "and back");
    assertThat(receiveAtApp()).isEqualTo("and back");
    assertThat(dp.usage(OUT_SPI, SaDirection.OUTBOUND).orElseThrow().packets()).isEqualTo(1);
    assertThat(dp.usage(IN_SPI, SaDirection.INBOUND).orElseThrow().packets()).isEqualTo(1);

    sendFromPeer(peerOut, remoteHostOf(remoteNet, 40), "spoofed source outside the policy");
    assertThat(receiveAtApp()).as("inner source outside the remote selector").isNull();
    assertThat(dp.drops().policyMismatch()).isEqualTo(1);
  }

  @Test
  void withoutAnSaOrAPolicyNothingLeavesAndDropsAreCounted() throws Exception {
    SaInstall out = install(OUT_SPI, SaDirection.OUTBOUND, outKey);
    dp.addSa(out);
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));
    sendFromApp("one");
    assertThat(receiveEsp(2000)).isNotNull();

    assertThat(dp.deleteSa(OUT_SPI, SaDirection.OUTBOUND)).isTrue();
    assertThat(out.esp().keys().encryptionKey()).as("keys zeroed on delete").containsOnly(0);
    sendFromApp("must not leave");
    assertThat(receiveEsp(300)).isNull();
    assertThat(dp.drops().noSa()).isEqualTo(1);

    // A route into the TUN that no policy covers: dropped too, never sent in clear.
    String other = TestNet.routedSlash28();
    Shell.check("ip", "route", "add", other, "dev", device);
    long before = dp.drops().noPolicy(); // the kernel's own IPv6 chatter on a new link counts here too
    byte[] b = "stray".getBytes(StandardCharsets.UTF_8);
    app.send(new DatagramPacket(b, b.length, new InetSocketAddress(remoteHostOf(other, 2), 9999)));
    assertThat(receiveEsp(300)).isNull();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (dp.drops().noPolicy() == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(dp.drops().noPolicy()).isGreaterThan(before);
  }

  @Test
  void aTrapPolicyAcquiresOnceHoldsABoundedQueueAndSendsItInOrderOnceTheSaIsUp() throws Exception {
    dp.addPolicy(policy(Policy.Action.TRAP, OptionalInt.empty()));
    int sent = TrapQueue.CAPACITY + 4;
    for (int i = 0; i < sent; i++) {
      sendFromApp("held " + i);
    }
    String acquire = events.poll(2, TimeUnit.SECONDS);
    assertThat(acquire).startsWith("acquire 1 " + tunAddress.getHostAddress()).contains("proto 17")
        .contains("> " + remoteHost.getHostAddress());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (dp.drops().trapQueueFull() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(dp.drops().trapQueueFull()).isEqualTo(4);
    assertThat(receiveEsp(200)).as("nothing leaves before the SA").isNull();
    assertThat(events.poll(100, TimeUnit.MILLISECONDS)).as("one acquire only").isNull();

    dp.addSa(install(OUT_SPI, SaDirection.OUTBOUND, outKey));
    dp.switchOutbound(1, OUT_SPI);
    InboundSa peerIn = InboundSa.create(LoopbackPeer.params(OUT_SPI, SaDirection.INBOUND, outKey));
    List<String> got = new ArrayList<>();
    for (int i = 0; i < TrapQueue.CAPACITY; i++) {
      byte[] esp = receiveEsp(2000);
      assertThat(esp).as("held packet " + i).isNotNull();
      got.add(openAtPeer(peerIn, esp));
    }
    assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(0, TrapQueue.CAPACITY)
        .mapToObj(i -> "held " + i).toList());
  }

  @Test
  void switchingTheOutboundSaMovesTrafficAtOnceAndTheOldSaCanGo() throws Exception {
    dp.addSa(install(OUT_SPI, SaDirection.OUTBOUND, outKey));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));
    sendFromApp("old");
    byte[] first = receiveEsp(2000);
    assertThat(first).isNotNull();
    assertThat(Arrays.copyOf(first, 4)).isEqualTo(new byte[] {0, 0, 0x10, 0x01});

    dp.addSa(install(OUT_SPI_2, SaDirection.OUTBOUND, outKey2));
    dp.switchOutbound(1, OUT_SPI_2);
    assertThat(dp.deleteSa(OUT_SPI, SaDirection.OUTBOUND)).isTrue();
    sendFromApp("new");
    byte[] second = receiveEsp(2000);
    assertThat(second).isNotNull();
    assertThat(Arrays.copyOf(second, 4)).isEqualTo(new byte[] {0, 0, 0x10, 0x02});
    assertThat(openAtPeer(InboundSa.create(LoopbackPeer.params(OUT_SPI_2, SaDirection.INBOUND, outKey2)), second)).isEqualTo("new");
  }

  @Test
  void unknownSpisAreReportedAndIkeDatagramsReachTheIkeHandler() throws Exception {
    BlockingQueue<byte[]> ike = new LinkedBlockingQueue<>();
    dp.onIke((message, from, local) -> ike.add(message));
    byte[] bogus = {0, 0, 0x77, 0x77, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9};
    peer.send(new DatagramPacket(bogus, bogus.length, dpUdp));
    assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo("unknown 7777");
    assertThat(dp.drops().unknownSpi()).isEqualTo(1);

    byte[] withMarker = new byte[4 + 28];
    withMarker[4] = 0x42; // first byte of the IKE initiator SPI
    peer.send(new DatagramPacket(withMarker, withMarker.length, dpUdp));
    byte[] message = ike.poll(2, TimeUnit.SECONDS);
    assertThat(message).hasSize(28);
    assertThat(message[0]).isEqualTo((byte) 0x42);
  }

  @Test
  void twoInboundSasAreValidAtOnceUntilTheOldOneIsDeleted() throws Exception {
    dp.addSa(install(IN_SPI, SaDirection.INBOUND, inKey));
    dp.addSa(install(IN_SPI_2, SaDirection.INBOUND, inKey2));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.empty()));
    OutboundSa oldSa = OutboundSa.create(LoopbackPeer.params(IN_SPI, SaDirection.OUTBOUND, inKey));
    OutboundSa newSa = OutboundSa.create(LoopbackPeer.params(IN_SPI_2, SaDirection.OUTBOUND, inKey2));
    sendFromPeer(newSa, remoteHost, "new first");
    assertThat(receiveAtApp()).isEqualTo("new first");
    sendFromPeer(oldSa, remoteHost, "old still in flight");
    assertThat(receiveAtApp()).isEqualTo("old still in flight");

    assertThat(dp.deleteSa(IN_SPI, SaDirection.INBOUND)).isTrue();
    sendFromPeer(oldSa, remoteHost, "old after delete");
    sendFromPeer(newSa, remoteHost, "new again");
    assertThat(receiveAtApp()).isEqualTo("new again");
    assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo("unknown " + Integer.toHexString(IN_SPI));
  }

  @Test
  void anSaWithMoreOverheadAnswersAnOversizeDfPacketWithFragmentationNeeded() throws Exception {
    // AES-256-CBC + HMAC-SHA-512 carries at most 1406 bytes in 1500; the TUN MTU is sized for GCM (1438).
    EspTransform cbc = EspTransform.cbc(io.ipsecd.esp.EspEncryption.AES_CBC_256, io.ipsecd.esp.EspIntegrity.HMAC_SHA2_512_256);
    byte[] k = new byte[32 + 64];
    RANDOM.nextBytes(k);
    SaParameters p = SaParameters.of(OUT_SPI, SaDirection.OUTBOUND, cbc,
        EspKeys.cbc(Arrays.copyOf(k, 32), Arrays.copyOfRange(k, 32, 96)));
    int maxInner = cbc.maxInnerLength(1500 - 20 - 8);
    assertThat(maxInner).isLessThan(dp.config().tunnelMtu());
    dp.addSa(new SaInstall(1, p, dpUdp, (InetSocketAddress) peer.getLocalSocketAddress(), true));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));

    byte[] big = new byte[dp.config().tunnelMtu() - 28]; // a full-MTU UDP datagram, DF set by Linux
    app.send(new DatagramPacket(big, big.length, new InetSocketAddress(remoteHost, 9999)));
    assertThat(receiveEsp(300)).as("too big: not sent").isNull();
    assertThat(dp.drops().tooBig()).isEqualTo(1);
    String route = Shell.check("ip", "route", "get", remoteHost.getHostAddress());
    assertThat(route).as("the kernel learnt the tunnel's path MTU from our ICMP").contains("mtu " + maxInner);

    sendFromApp("small still fits");
    assertThat(receiveEsp(2000)).isNotNull();
  }

  @Test
  void softAndHardPacketLimitsRaiseOneEventEachAndTheHardOneStopsTheSa() throws Exception {
    SaParameters limited = LoopbackPeer.params(OUT_SPI, SaDirection.OUTBOUND, outKey)
        .withLifetimes(new io.ipsecd.esp.SaLifetime(Long.MAX_VALUE, 2), new io.ipsecd.esp.SaLifetime(Long.MAX_VALUE, 3));
    dp.addSa(new SaInstall(1, limited, dpUdp, (InetSocketAddress) peer.getLocalSocketAddress(), true));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));
    for (int i = 0; i < 5; i++) {
      sendFromApp("packet " + i);
      if (i < 3) {
        assertThat(receiveEsp(2000)).as("packet %d within the hard limit", i).isNotNull();
      }
    }
    assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo("expired " + OUT_SPI + " OUTBOUND false");
    assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo("expired " + OUT_SPI + " OUTBOUND true");
    assertThat(receiveEsp(300)).as("nothing past the hard limit").isNull();
    assertThat(dp.drops().encryptRefused()).isEqualTo(2);
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("each limit reported once").isNull();
  }

  @Test
  void afterARestartOnAPlainTunWithoutOffloadsTheInstalledSasAndRoutesCarryTrafficAgain() throws Exception {
    dp.addSa(install(OUT_SPI, SaDirection.OUTBOUND, outKey));
    dp.addSa(install(IN_SPI, SaDirection.INBOUND, inKey));
    dp.addPolicy(policy(Policy.Action.PROTECT, OptionalInt.of(OUT_SPI)));
    app.close();
    dp.stop();
    assertThat(TestNet.interfaceExists(device)).isFalse();
    io.ipsecd.dataplane.tun.LinuxTunDevice plain = io.ipsecd.dataplane.tun.LinuxTunDevice.open(device);
    assertThat(plain.virtioHeaders()).isFalse();
    dp.start(plain);
    dpUdp = dp.udpSocket().orElseThrow().localAddress(); // a new ephemeral port: the peer sends there now
    app = new DatagramSocket(new InetSocketAddress(tunAddress, 0));

    InboundSa peerIn = InboundSa.create(LoopbackPeer.params(OUT_SPI, SaDirection.INBOUND, outKey));
    OutboundSa peerOut = OutboundSa.create(LoopbackPeer.params(IN_SPI, SaDirection.OUTBOUND, inKey));
    sendFromApp("after restart");
    byte[] esp = receiveEsp(2000);
    assertThat(esp).isNotNull();
    assertThat(openAtPeer(peerIn, esp)).isEqualTo("after restart");
    sendFromPeer(peerOut, remoteHost, "back through a plain TUN");
    assertThat(receiveAtApp()).isEqualTo("back through a plain TUN");
  }
}
