package io.ipsecd.dataplane;

import io.ipsecd.dataplane.link.IpPrefix;
import io.ipsecd.dataplane.link.LinkConfigurator;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.esp.TrafficSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main interface's routes, derived from its policies' remote selectors: a prefix is routed
 * into the TUN while at least one policy wants it. Policies of route-based interfaces get none:
 * those interfaces' routes are configured, never derived from (any-to-any) selectors. Called
 * under the data plane's monitor.
 */
final class SelectorRoutes {
  private static final Logger log = LoggerFactory.getLogger(SelectorRoutes.class);

  private final LinkConfigurator link;
  private final boolean enabled;
  /** How many installed policies want each prefix. */
  private final Map<IpPrefix, Integer> wanted = new HashMap<>();

  SelectorRoutes(LinkConfigurator link, boolean enabled) {
    this.link = link;
    this.enabled = enabled;
  }

  void add(String device, Policy policy) throws IOException {
    if (!enabled || policy.interfaceId() != Policy.MAIN_INTERFACE) {
      return;
    }
    for (IpPrefix prefix : prefixes(policy)) {
      if (wanted.merge(prefix, 1, Integer::sum) == 1) {
        link.addRoute(device, prefix);
      }
    }
  }

  void remove(String device, Policy policy) {
    if (!enabled || policy.interfaceId() != Policy.MAIN_INTERFACE) {
      return;
    }
    for (IpPrefix prefix : prefixes(policy)) {
      Integer left = wanted.computeIfPresent(prefix, (p, n) -> n > 1 ? n - 1 : null);
      if (left == null) {
        try {
          link.removeRoute(device, prefix);
        } catch (IOException e) {
          log.warn("cannot remove the route {}: {}", prefix, e.getMessage());
        }
      }
    }
  }

  /** The interface went, and the kernel removed its routes with it. */
  void forget() {
    wanted.clear();
  }

  private static List<IpPrefix> prefixes(Policy policy) {
    List<IpPrefix> out = new ArrayList<>();
    for (TrafficSelector ts : policy.remote()) {
      for (IpPrefix p : IpPrefix.covering(ts.startAddress(), ts.endAddress())) {
        if (p.length() > 0) { // a default route would swallow the tunnel's own packets
          out.add(p);
        }
      }
    }
    return out;
  }
}
