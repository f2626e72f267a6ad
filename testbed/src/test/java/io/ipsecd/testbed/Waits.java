package io.ipsecd.testbed;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The bounded polling and random test values the scenario tests share. */
final class Waits {
    private Waits() {
    }

    /** Polls every 100 ms until the condition holds or the timeout passes; true if it held. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!Exec.sleep(100)) {
                break;
            }
        }
        return condition.getAsBoolean();
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
