package io.ipsecd.dataplane.spd;

import io.ipsecd.esp.TrafficSelector;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A security policy of the data plane: packets from one of the {@code local} selectors to one of
 * the {@code remote} selectors are protected by the outbound SA {@code outboundSpi}. Without a
 * usable SA, {@link Action#PROTECT} drops them (counted) and {@link Action#TRAP} holds a few and
 * asks for an SA; nothing matched by a policy ever leaves in clear.
 *
 * @param id the policy's identity, IKE's reqid; inbound SAs name it to say what they may carry
 * @param interfaceId the interface the policy belongs to: outbound, only packets read from that
 *     interface are matched against it (two route-based connections both have any-to-any selectors);
 *     inbound, what its SAs decrypt is written there. {@link #MAIN_INTERFACE} is the data plane's own
 * @param mssClamp the largest MSS a TCP SYN through this policy may announce, both ways; 0: off
 */
public record Policy(int id, String name, List<TrafficSelector> local, List<TrafficSelector> remote,
                     Action action, OptionalInt outboundSpi, int interfaceId, int mssClamp) {
  public enum Action { PROTECT, TRAP }

  /** The data plane's own TUN, which carries every policy-based child. */
  public static final int MAIN_INTERFACE = 0;

  public Policy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outboundSpi, "outboundSpi");
    local = List.copyOf(local);
    remote = List.copyOf(remote);
    if (local.isEmpty() || remote.isEmpty()) {
      throw new IllegalArgumentException("policy " + name + " needs local and remote selectors");
    }
    if (interfaceId < 0) {
      throw new IllegalArgumentException("policy " + name + ": interface id " + interfaceId);
    }
    if (mssClamp < 0 || mssClamp > 65535) {
      throw new IllegalArgumentException("policy " + name + ": MSS clamp " + mssClamp);
    }
  }

  /** A policy of the main interface without MSS clamping. */
  public Policy(int id, String name, List<TrafficSelector> local, List<TrafficSelector> remote, Action action,
                OptionalInt outboundSpi) {
    this(id, name, local, remote, action, outboundSpi, MAIN_INTERFACE, 0);
  }

  /** A PROTECT policy not yet pointing at an SA. */
  public static Policy protect(int id, String name, List<TrafficSelector> local, List<TrafficSelector> remote) {
    return new Policy(id, name, local, remote, Action.PROTECT, OptionalInt.empty());
  }

  public Policy withOutboundSpi(int spi) {
    return new Policy(id, name, local, remote, action, OptionalInt.of(spi), interfaceId, mssClamp);
  }

  /** The same policy on another interface, with another MSS clamp (0: off). */
  public Policy placed(int interfaceId, int mssClamp) {
    return new Policy(id, name, local, remote, action, outboundSpi, interfaceId, mssClamp);
  }
}
