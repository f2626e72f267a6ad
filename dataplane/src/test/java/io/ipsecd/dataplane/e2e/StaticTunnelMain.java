package io.ipsecd.dataplane.e2e;

import io.ipsecd.dataplane.Dataplane;
import io.ipsecd.dataplane.DataplaneConfig;
import io.ipsecd.dataplane.SaInstall;
import io.ipsecd.dataplane.link.IpCommandLinkConfigurator;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import io.ipsecd.esp.TrafficSelector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One gateway with static keys, for tests and the bench: run it inside a network namespace
 * ({@code ip netns exec NS java ... StaticTunnelMain key=value ...}). It prints {@code READY} once
 * the tunnel is up and runs until its standard input closes, so it dies with its parent.
 *
 * <p>Arguments: {@code tun}, {@code tunAddress}, {@code localNet}/{@code remoteNet} (prefixes),
 * {@code local}/{@code remote} (outer addresses, port 4500), {@code outSpi}/{@code inSpi} (hex),
 * {@code outKey}/{@code inKey} (36 bytes hex: AES-256-GCM key and salt); optionally
 * {@code tunAddress6}, {@code localNet6}, {@code remoteNet6} for an IPv6 inner network, and
 * {@code rawEsp=1} for raw ESP instead of ESP-in-UDP. Test keys only: they are
 * visible in the process list.
 */
public final class StaticTunnelMain {
  private StaticTunnelMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    InetAddress local = InetAddress.ofLiteral(a.get("local"));
    InetSocketAddress localUdp = new InetSocketAddress(local, 4500);
    InetSocketAddress remoteUdp = new InetSocketAddress(InetAddress.ofLiteral(a.get("remote")), 4500);
    List<DataplaneConfig.TunAddress> tunAddresses = new java.util.ArrayList<>();
    tunAddresses.add(new DataplaneConfig.TunAddress(InetAddress.ofLiteral(a.get("tunAddress")), 32));
    List<TrafficSelector> localSelectors = new java.util.ArrayList<>(List.of(selector(a.get("localNet"))));
    List<TrafficSelector> remoteSelectors = new java.util.ArrayList<>(List.of(selector(a.get("remoteNet"))));
    if (a.containsKey("tunAddress6")) { // an IPv6 inner network too, in the same policy
      tunAddresses.add(new DataplaneConfig.TunAddress(InetAddress.ofLiteral(a.get("tunAddress6")), 128));
      localSelectors.add(selector(a.get("localNet6")));
      remoteSelectors.add(selector(a.get("remoteNet6")));
    }
    DataplaneConfig config = DataplaneConfig.of(a.get("tun"), localUdp).withTunAddresses(tunAddresses);
    boolean udp = !a.containsKey("rawEsp"); // rawEsp=1: ESP straight over IP (protocol 50), no NAT in the way
    if (!udp) {
      config = config.withRawEsp(local);
    }
    int outSpi = Integer.parseUnsignedInt(a.get("outSpi"), 16);
    int inSpi = Integer.parseUnsignedInt(a.get("inSpi"), 16);
    try (Dataplane dp = new Dataplane(config, IpCommandLinkConfigurator.create())) {
      dp.start();
      dp.addSa(new SaInstall(1, params(outSpi, SaDirection.OUTBOUND, a.get("outKey")), localUdp, remoteUdp, udp));
      dp.addSa(new SaInstall(1, params(inSpi, SaDirection.INBOUND, a.get("inKey")), localUdp, remoteUdp, udp));
      dp.addPolicy(new Policy(1, "static", localSelectors, remoteSelectors, Policy.Action.PROTECT, OptionalInt.of(outSpi)));
      System.out.println("READY " + dp.tunName().orElseThrow());
      System.out.flush();
      while (System.in.read() >= 0) {
        // run until the parent closes our stdin (or dies)
      }
      // Heap allocated by the packet threads over the whole run, to check the per-packet path allocates ~0.
      var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("dataplane-")) {
          System.out.println("ALLOCATED " + t.getName() + " " + threads.getThreadAllocatedBytes(t.threadId()) + " bytes");
        }
      }
      System.out.println("STATS out=" + dp.usage(outSpi, SaDirection.OUTBOUND).orElseThrow()
          + " in=" + dp.usage(inSpi, SaDirection.INBOUND).orElseThrow() + " drops=" + dp.drops());
    }
  }

  private static SaParameters params(int spi, SaDirection direction, String hexKey) {
    byte[] key = HexFormat.of().parseHex(hexKey);
    return SaParameters.of(spi, direction, EspTransform.AES_GCM_256,
        EspKeys.aead(Arrays.copyOf(key, 32), Arrays.copyOfRange(key, 32, 36)));
  }

  private static TrafficSelector selector(String prefix) {
    int slash = prefix.indexOf('/');
    return TrafficSelector.ofPrefix(InetAddress.ofLiteral(prefix.substring(0, slash)),
        Integer.parseInt(prefix.substring(slash + 1)));
  }
}
