package io.ipsecd.dataplane;

import io.ipsecd.dataplane.link.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * A TUN interface of its own for a route-based connection (like an XFRM interface or a VTI): its
 * policies (any-to-any selectors) only see what is routed into it, and what their SAs decrypt comes
 * out of it.
 *
 * @param name the interface name, at most 15 bytes
 * @param mtu its MTU; 0: the data plane's tunnel MTU
 * @param routes routed into the interface while it exists (the kernel drops them with it)
 */
public record InterfaceSpec(String name, int mtu, List<IpPrefix> routes) {
  public InterfaceSpec {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.contains("%")) {
      throw new IllegalArgumentException("interface name '" + name + "': expected 1..15 characters, no '/' or '%'");
    }
    if (mtu != 0 && (mtu < 576 || mtu > 65535)) {
      throw new IllegalArgumentException("interface " + name + ": MTU " + mtu + " outside 576..65535");
    }
    routes = List.copyOf(routes);
  }
}
