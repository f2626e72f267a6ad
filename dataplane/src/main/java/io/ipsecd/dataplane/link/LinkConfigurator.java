package io.ipsecd.dataplane.link;

import java.net.InetAddress;

/**
 * Configures the gateway's TUN interface: MTU, state, addresses and routes. Behind an interface so
 * the iproute2-based implementation can later give way to rtnetlink without touching callers.
 * Every method is idempotent where the kernel allows it, so a restart can re-apply a configuration.
 */
public interface LinkConfigurator {
  void setMtu(String device, int mtu) throws LinkConfigException;

  /**
   * Sets how many packets the kernel queues for the device before dropping. For a TUN that is the
   * backlog waiting for the user-space reader; the kernel default (500) overflows in TCP bursts.
   */
  void setTxQueueLength(String device, int packets) throws LinkConfigException;

  void setUp(String device) throws LinkConfigException;

  /**
   * Gives the device no IPv6 link-local address (before it comes up), so the kernel sends no router
   * solicitations, MLD reports or DAD probes through it. IPv6 routed into it still flows.
   */
  void disableIpv6LinkLocal(String device) throws LinkConfigException;

  void setDown(String device) throws LinkConfigException;

  /** Assigns {@code address/prefixLength}, e.g. 198.18.0.1/30; re-adding the same is not an error. */
  void addAddress(String device, InetAddress address, int prefixLength) throws LinkConfigException;

  /** Routes {@code destination} (a child SA's remote selector) into {@code device}; replaces an existing route. */
  void addRoute(String device, IpPrefix destination) throws LinkConfigException;

  /** Removes the route; removing a route that is not there is not an error. */
  void removeRoute(String device, IpPrefix destination) throws LinkConfigException;
}
