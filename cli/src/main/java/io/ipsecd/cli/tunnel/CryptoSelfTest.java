package io.ipsecd.cli.tunnel;

import io.ipsecd.esp.EspSelfTest;
import io.ipsecd.ike.crypto.KeyExchangeSelfTest;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the IKE and ESP power-on self-tests on a background thread when the daemon starts. Besides
 * proving this JDK's crypto works, it warms the JIT: measured in the lab, a fresh daemon otherwise
 * spent about a second of its first handshake, and milliseconds per early packet, interpreting code
 * that runs in microseconds once compiled.
 */
final class CryptoSelfTest {
  private static final Logger log = LoggerFactory.getLogger("ike");
  /** Enough packets for the JIT's top tier to compile the AEAD paths (about 0.3 s of one core). */
  private static final int HOT_ROUNDS = 20_000;
  private static final int COLD_ROUNDS = 30;
  private static final int KEY_EXCHANGE_ROUNDS = 3;

  private CryptoSelfTest() {}

  static void startInBackground() {
    Thread.ofPlatform().name("crypto-self-test").daemon().priority(Thread.MIN_PRIORITY).start(CryptoSelfTest::run);
  }

  private static void run() {
    long start = System.nanoTime();
    try {
      int exchanges = KeyExchangeSelfTest.run(KeyExchangeSelfTest.COMMON, KEY_EXCHANGE_ROUNDS);
      long packets = EspSelfTest.run(EspSelfTest.HOT, HOT_ROUNDS) + EspSelfTest.run(EspSelfTest.COLD, COLD_ROUNDS);
      log.info("crypto self-test passed in {} ms: {} key exchanges, {} ESP packets through {} transforms",
          (System.nanoTime() - start) / 1_000_000, exchanges, packets, EspSelfTest.HOT.size() + EspSelfTest.COLD.size());
    } catch (GeneralSecurityException | RuntimeException e) {
      log.error("crypto self-test FAILED: {}. Tunnels using that algorithm will not work; check the JDK "
          + "(java.security providers, a FIPS or restricted policy)", e.getMessage());
    }
  }
}
