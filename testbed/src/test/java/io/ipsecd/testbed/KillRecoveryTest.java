package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.strongswan;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run killed with SIGKILL mid-scenario leaves a mess; the next run's sweep removes it and a new lab comes up. */
@Testbed
class KillRecoveryTest {

    @Test
    void killedRunIsSweptAndTheNextLabComesUp() throws Exception {
        Path out = Files.createTempFile("ipt-holdlab", ".out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldLab.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            String lab = awaitReady(out, child, Duration.ofSeconds(120));
            List<String> namespaces = namespacesOf(lab);
            assertThat(namespaces).hasSize(4);
            List<Long> pids = namespaces.stream().flatMap(ns -> Netns.pids(ns).stream()).toList();
            assertThat(pids).as("charon daemons running in the held lab").isNotEmpty();

            child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(namespacesOf(lab)).as("leftovers of the killed run").hasSize(4);
            assertThat(pids.stream().anyMatch(p -> ProcessHandle.of(p).isPresent())).as("orphaned daemons").isTrue();

            List<String> removed = Sweep.run();
            assertThat(removed).containsAll(namespaces);
            assertThat(namespacesOf(lab)).isEmpty();
            for (int i = 0; i < 50 && pids.stream().anyMatch(KillRecoveryTest::alive); i++) Exec.sleep(100); // reaping is async
            assertThat(pids.stream().filter(KillRecoveryTest::alive))
                    .as("daemons of the killed run").isEmpty();
            assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain(Rootfs.cacheDir().toString());

            ScenarioReport next = Scenario.siteToSite().corp(strongswan(StrongSwanVersion.V5_9_8))
                    .cloud(strongswan(StrongSwanVersion.V5_9_8)).psk().probes(Probe.ping()).run();
            assertThat(next.all(Probe.PingResult.class)).allMatch(p -> p.received() == p.sent());
        } finally {
            Exec.killTree(child.toHandle());
            Sweep.run();
            Files.deleteIfExists(out);
        }
    }

    private static String awaitReady(Path out, Process child, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(out)) if (line.startsWith("READY ")) return line.substring(6).strip();
            if (!child.isAlive()) break;
            Exec.sleep(100);
        }
        throw new AssertionError("the child run never got its lab up:\n" + Exec.tail(out, 6000));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<String> namespacesOf(String lab) {
        return Netns.list().stream().filter(ns -> ns.startsWith(lab + "-")).toList();
    }
}
