package io.ipsecd.cli.tunnel;

import io.ipsecd.esp.EspSelfTest;
import io.ipsecd.ike.crypto.KeyExchangeSelfTest;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the IKE and ESP power-on self-tests on a background thread once the daemon is serving. Besides
 * proving this JDK's crypto works, it warms the JIT: measured in the lab, a fresh daemon otherwise
 * spent about a second of its first handshake, and milliseconds per early packet, interpreting code
 * that runs in microseconds once compiled.
 */
final class CryptoSelfTest {
  private static final Logger log = LoggerFactory.getLogger("ike");
  /**
   * Packets for AES-GCM-256, the default: enough for the JIT to compile its path (about 0.2 s of
   * one idle core). The other AEADs get fewer: their first packets may be slower.
   */
  private static final int DEFAULT_ROUNDS = 5_000;
  private static final int OTHER_ROUNDS = 300;
  private static final int COLD_ROUNDS = 10;
  private static final int KEY_EXCHANGE_ROUNDS = 1;

  private CryptoSelfTest() {}

  static void startInBackground() {
    Thread.ofPlatform().name("crypto-self-test").daemon().start(CryptoSelfTest::run);
  }

  private static void run() {
    long start = System.nanoTime();
    try {
      int exchanges = KeyExchangeSelfTest.run(KeyExchangeSelfTest.COMMON, KEY_EXCHANGE_ROUNDS);
      long packets = EspSelfTest.run(EspSelfTest.HOT.subList(0, 1), DEFAULT_ROUNDS)
          + EspSelfTest.run(EspSelfTest.HOT.subList(1, EspSelfTest.HOT.size()), OTHER_ROUNDS)
          + EspSelfTest.run(EspSelfTest.COLD, COLD_ROUNDS);
      log.info("crypto self-test passed in {} ms: {} key exchanges, {} ESP packets through {} transforms",
          (System.nanoTime() - start) / 1_000_000, exchanges, packets, EspSelfTest.HOT.size() + EspSelfTest.COLD.size());
    } catch (GeneralSecurityException | RuntimeException e) {
      log.error("crypto self-test FAILED: {}. Tunnels using that algorithm will not work; check the JDK "
          + "(java.security providers, a FIPS or restricted policy)", e.getMessage());
    }
  }
}
