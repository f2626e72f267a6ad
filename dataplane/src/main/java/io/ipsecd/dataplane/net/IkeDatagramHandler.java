package io.ipsecd.dataplane.net;

import java.net.InetSocketAddress;

/**
 * Takes an IKE message that arrived on the NAT-T port, non-ESP marker removed. The array is the
 * handler's to keep: IKE is low-rate, so the receive loop copies rather than making the IKE side
 * hurry. This interface is how the data plane hands IKE traffic over without depending on it.
 */
@FunctionalInterface
public interface IkeDatagramHandler {
  void onIke(byte[] message, InetSocketAddress from, InetSocketAddress local);
}
