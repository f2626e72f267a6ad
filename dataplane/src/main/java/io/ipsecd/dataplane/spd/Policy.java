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
 */
public record Policy(int id, String name, List<TrafficSelector> local, List<TrafficSelector> remote,
                     Action action, OptionalInt outboundSpi) {
  public enum Action { PROTECT, TRAP }

  public Policy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outboundSpi, "outboundSpi");
    local = List.copyOf(local);
    remote = List.copyOf(remote);
    if (local.isEmpty() || remote.isEmpty()) {
      throw new IllegalArgumentException("policy " + name + " needs local and remote selectors");
    }
  }

  /** A PROTECT policy not yet pointing at an SA. */
  public static Policy protect(int id, String name, List<TrafficSelector> local, List<TrafficSelector> remote) {
    return new Policy(id, name, local, remote, Action.PROTECT, OptionalInt.empty());
  }

  public Policy withOutboundSpi(int spi) {
    return new Policy(id, name, local, remote, action, OptionalInt.of(spi));
  }
}
