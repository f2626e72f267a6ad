package io.ipsecd.dataplane.net;

import io.ipsecd.dataplane.packet.PacketBatch;

/**
 * Takes an ESP packet off a transport (UDP-encapsulated or raw). The packet is
 * {@code batch.buffer(slot)} from {@code batch.offset(slot)} for {@code batch.length(slot)} bytes,
 * starting at the SPI, with headroom in front; the sender is {@code batch.remote(slot)}. The slot is
 * reused as soon as this returns, so decrypt in place or copy.
 */
@FunctionalInterface
public interface EspDatagramHandler {
  void onEsp(PacketBatch batch, int slot);

  /**
   * The packets handed over since the last call arrived together (one receive call, or one
   * GRO-coalesced datagram): a consumer that holds packets back to merge them releases them now.
   */
  default void onBurstEnd() {}
}
