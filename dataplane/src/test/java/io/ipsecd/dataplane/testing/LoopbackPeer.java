package io.ipsecd.dataplane.testing;

import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What the data plane's loopback tests share when they stand in for the peer gateway: AES-GCM-256
 * keys and SAs, and receiving a datagram with a timeout.
 */
public final class LoopbackPeer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LoopbackPeer() {}

  /** 36 random bytes: an AES-256 key and a 4-byte salt. */
  public static byte[] randomKey() {
    byte[] k = new byte[36];
    RANDOM.nextBytes(k);
    return k;
  }

  /** AES-GCM-256 SA parameters from a {@link #randomKey} (key, then salt). */
  public static SaParameters params(int spi, SaDirection direction, byte[] key) {
    return SaParameters.of(spi, direction, EspTransform.AES_GCM_256,
        EspKeys.aead(Arrays.copyOf(key, 32), Arrays.copyOfRange(key, 32, 36)));
  }

  /** The next datagram on {@code socket}, or null when none comes within {@code millis}. */
  public static byte[] receive(DatagramSocket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    byte[] buf = new byte[4096];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(buf, p.getLength());
  }
}
