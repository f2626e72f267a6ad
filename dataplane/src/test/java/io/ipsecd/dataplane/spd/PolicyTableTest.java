package io.ipsecd.dataplane.spd;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.testing.Packets;
import io.ipsecd.esp.TrafficSelector;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PolicyTableTest {
  private static InetAddress ip(String s) {
    return InetAddress.ofLiteral(s);
  }

  private static TrafficSelector prefix(String p, int len) {
    return TrafficSelector.ofPrefix(ip(p), len);
  }

  private static FlowKey udp(String src, String dst, int srcPort, int dstPort) {
    byte[] pkt = Packets.udp(ip(src), ip(dst), srcPort, dstPort, new byte[4]);
    FlowKey key = new FlowKey();
    assertThat(key.parse(pkt, 0, pkt.length)).isTrue();
    return key;
  }

  private static Policy policy(int id, TrafficSelector local, TrafficSelector remote) {
    return Policy.protect(id, "p" + id, List.of(local), List.of(remote));
  }

  @Test
  void theNarrowerRemoteSelectorWinsWhicheverWasAddedFirst() {
    PolicyTable<String> table = PolicyTable.<String>empty()
        .with(policy(1, prefix("10.1.0.0", 16), prefix("10.2.0.0", 16)), "wide")
        .with(policy(2, prefix("10.1.0.0", 16), prefix("10.2.3.0", 24)), "narrow");
    assertThat(table.lookupOutbound(udp("10.1.0.5", "10.2.3.4", 1000, 53)).binding()).isEqualTo("narrow");
    assertThat(table.lookupOutbound(udp("10.1.0.5", "10.2.4.4", 1000, 53)).binding()).isEqualTo("wide");
    assertThat(table.lookupOutbound(udp("10.9.0.5", "10.2.3.4", 1000, 53))).as("source outside local").isNull();
  }

  @Test
  void anyToAnyPoliciesOfTwoInterfacesAreToldApartByTheInterfaceThePacketCameFrom() {
    TrafficSelector any = prefix("0.0.0.0", 0);
    PolicyTable<String> table = PolicyTable.<String>empty()
        .with(policy(1, any, any).placed(1, 0), "azure")
        .with(policy(2, any, any).placed(2, 1350), "aws")
        .with(policy(3, prefix("10.1.0.0", 16), prefix("10.2.0.0", 16)), "branch");
    FlowKey key = udp("10.1.0.5", "10.2.3.4", 1000, 53);
    assertThat(table.lookupOutbound(key, 1).binding()).isEqualTo("azure");
    assertThat(table.lookupOutbound(key, 2).binding()).isEqualTo("aws");
    assertThat(table.lookupOutbound(key, 2).policy().mssClamp()).isEqualTo(1350);
    assertThat(table.lookupOutbound(key, Policy.MAIN_INTERFACE).binding()).as("main: the policy-based child").isEqualTo("branch");
    assertThat(table.lookupOutbound(udp("10.1.0.5", "10.9.0.1", 1, 2), Policy.MAIN_INTERFACE))
        .as("the any-to-any policies never match on the main interface").isNull();
    assertThat(table.lookupOutbound(key, 3)).as("an interface without policies matches nothing").isNull();
  }

  @Test
  void aProtocolAndPortSelectorBeatsTheSameRangeForAnyTraffic() {
    TrafficSelector dns = TrafficSelector.ofPrefix(ip("10.2.0.0"), 16, 17, 53, 53);
    PolicyTable<String> table = PolicyTable.<String>empty()
        .with(policy(1, prefix("10.1.0.0", 16), prefix("10.2.0.0", 16)), "any")
        .with(policy(2, prefix("10.1.0.0", 16), dns), "dns");
    assertThat(table.lookupOutbound(udp("10.1.0.5", "10.2.3.4", 1000, 53)).binding()).isEqualTo("dns");
    assertThat(table.lookupOutbound(udp("10.1.0.5", "10.2.3.4", 1000, 54)).binding()).isEqualTo("any");
  }

  @Test
  void ipv6PacketsMatchIpv6SelectorsOnly() {
    PolicyTable<String> table = PolicyTable.<String>empty()
        .with(new Policy(1, "dual", List.of(prefix("10.1.0.0", 16), prefix("2001:db8:1::", 48)),
            List.of(prefix("10.2.0.0", 16), prefix("2001:db8:2::", 48)), Policy.Action.PROTECT,
            java.util.OptionalInt.empty()), "dual")
        .with(policy(2, TrafficSelector.anyIpv4(), TrafficSelector.anyIpv4()), "v4-any");
    byte[] v6 = Packets.ipv6Udp("2001:db8:1::5", "2001:db8:2::7", 4000, 443);
    FlowKey key = new FlowKey();
    assertThat(key.parse(v6, 0, v6.length)).isTrue();
    assertThat(key.ipv6()).isTrue();
    assertThat(key.destinationPort()).isEqualTo(443);
    assertThat(table.lookupOutbound(key).binding()).isEqualTo("dual");
    byte[] elsewhere = Packets.ipv6Udp("2001:db8:1::5", "2001:db8:3::7", 4000, 443);
    key.parse(elsewhere, 0, elsewhere.length);
    assertThat(table.lookupOutbound(key)).isNull();
  }

  @Test
  void theInboundCheckWantsSourceInRemoteAndDestinationInLocal() {
    PolicyTable<String> table = PolicyTable.<String>empty()
        .with(policy(1, prefix("10.1.0.0", 16), prefix("10.2.0.0", 16)), "p");
    PolicyTable.Entry<String> e = table.byId(1);
    assertThat(e.allowsInbound(udp("10.2.0.9", "10.1.0.1", 1, 2))).isTrue();
    assertThat(e.allowsInbound(udp("10.1.0.1", "10.2.0.9", 1, 2))).as("reversed").isFalse();
    assertThat(e.allowsInbound(udp("10.3.0.9", "10.1.0.1", 1, 2))).as("spoofed source").isFalse();
  }

  @Test
  void replacingAndRemovingKeepsTheRestAndRebindingKeepsTheSelectors() {
    PolicyTable<String> table = PolicyTable.<String>empty()
        .with(policy(1, prefix("10.1.0.0", 16), prefix("10.2.0.0", 16)), "a")
        .with(policy(2, prefix("10.1.0.0", 16), prefix("10.3.0.0", 16)), "b");
    PolicyTable<String> rebound = table.rebind(1, "a2");
    assertThat(rebound.lookupOutbound(udp("10.1.0.1", "10.2.0.1", 1, 2)).binding()).isEqualTo("a2");
    assertThat(table.lookupOutbound(udp("10.1.0.1", "10.2.0.1", 1, 2)).binding()).as("old snapshot unchanged").isEqualTo("a");
    PolicyTable<String> removed = rebound.without(1);
    assertThat(removed.lookupOutbound(udp("10.1.0.1", "10.2.0.1", 1, 2))).isNull();
    assertThat(removed.lookupOutbound(udp("10.1.0.1", "10.3.0.1", 1, 2)).binding()).isEqualTo("b");
    assertThat(removed.without(42)).isSameAs(removed);
  }

  record Rule(int localLen, int localHost, int remoteLen, int remoteHost) {}

  @Provide
  Arbitrary<List<Rule>> rules() {
    Arbitrary<Rule> rule = Combinators.combine(Arbitraries.integers().between(8, 32), Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(8, 32), Arbitraries.integers().between(0, 255)).as(Rule::new);
    return rule.list().ofMinSize(1).ofMaxSize(12);
  }

  /** Every generated selector lies in 10.0.0.0/8 (local) or 11.0.0.0/8 (remote), so many nest. */
  @Property(tries = 300)
  void theChosenPolicyMatchesAndNoMatchingPolicyIsStrictlyInsideIt(@ForAll("rules") List<Rule> rules,
      @ForAll @IntRange(min = 0, max = 255) int srcHost, @ForAll @IntRange(min = 0, max = 255) int dstHost) {
    PolicyTable<Integer> table = PolicyTable.empty();
    List<Policy> policies = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      Policy p = policy(i, prefix("10.0.0." + r.localHost, r.localLen), prefix("11.0.0." + r.remoteHost, r.remoteLen));
      policies.add(p);
      table = table.with(p, i);
    }
    FlowKey key = udp("10.0.0." + srcHost, "11.0.0." + dstHost, 1, 2);
    InetAddress src = ip("10.0.0." + srcHost);
    InetAddress dst = ip("11.0.0." + dstHost);
    List<Policy> matching = policies.stream()
        .filter(p -> p.local().get(0).contains(src, 17, 1) && p.remote().get(0).contains(dst, 17, 2)).toList();
    PolicyTable.Entry<Integer> chosen = table.lookupOutbound(key);
    if (matching.isEmpty()) {
      assertThat(chosen).isNull();
      return;
    }
    assertThat(chosen).isNotNull();
    Policy c = chosen.policy();
    assertThat(matching).contains(c);
    for (Policy other : matching) {
      boolean strictlyInside = c.local().get(0).covers(other.local().get(0)) && c.remote().get(0).covers(other.remote().get(0))
          && !(other.local().get(0).equals(c.local().get(0)) && other.remote().get(0).equals(c.remote().get(0)));
      assertThat(strictlyInside).as("%s is more specific than the chosen %s", other, c).isFalse();
    }
  }
}
