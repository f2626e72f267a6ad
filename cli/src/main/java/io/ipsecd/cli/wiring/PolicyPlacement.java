package io.ipsecd.cli.wiring;

import io.ipsecd.dataplane.spd.Policy;

/**
 * Where a child's policy goes in the data plane: the interface whose traffic it matches (the main
 * TUN, or its route-based connection's own) and its TCP MSS clamp (0: off).
 */
public record PolicyPlacement(int interfaceId, int mssClamp) {
  /** A policy-based child without clamping. */
  public static final PolicyPlacement MAIN = new PolicyPlacement(Policy.MAIN_INTERFACE, 0);
  /**
   * A route-based child whose interface could not be created: no interface reads or writes for
   * this id, so its policy matches nothing and what its SAs decrypt is dropped (fail closed).
   */
  public static final int NO_INTERFACE = Integer.MAX_VALUE;
}
