package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.strongswan;

import java.time.Duration;

/**
 * Child-JVM half of {@link KillRecoveryTest}: brings up a lab with a host charon and a container
 * charon, prints {@code READY <lab>} and waits (at most 120 s) to be killed with SIGKILL.
 */
public final class HoldLab {
    public static void main(String[] args) {
        Scenario.siteToSite().corp(strongswan(StrongSwanVersion.V6_1_0)).cloud(strongswan(StrongSwanVersion.V5_9_8))
                .psk().probes(Probe.ping())
                .whileUp(lab -> {
                    System.out.println("READY " + lab.name());
                    System.out.flush();
                    Exec.sleep(Duration.ofSeconds(120).toMillis());
                })
                .run();
    }
}
