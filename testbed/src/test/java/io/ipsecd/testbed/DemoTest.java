package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command, ./demo.sh, runs this walk-through: it must keep working, and clean up. */
@Testbed
class DemoTest {
    private static final long TRANSFER = 8 * Probe.MiB;

    @Test
    void theWalkThroughRunsAndRemovesItsLab() {
        Ipsecd.assumePackaged();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Demo.Outcome o;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            o = new Demo(out, false, TRANSFER, 1).run();
        } finally {
            System.out.println(text.toString(StandardCharsets.UTF_8));
        }
        assertThat(o.pings()).hasSize(2).allSatisfy(p -> assertThat(p.received()).isEqualTo(p.sent()).isPositive());
        assertThat(o.transfer().receivedSha256()).isEqualTo(o.transfer().sentSha256());
        assertThat(o.afterTraffic().bytesOut()).isGreaterThanOrEqualTo(TRANSFER);
        assertThat(o.afterForgery().replayDropsIn()).isEqualTo(o.afterTraffic().replayDropsIn() + 1);
        assertThat(o.afterForgery().icvFailuresIn()).isEqualTo(o.afterTraffic().icvFailuresIn() + 1);
        assertThat(o.whileDown().getFirst().received()).isZero();
        assertThat(o.capture().markerFound()).isFalse();
        assertThat(o.capture().otherPackets()).isZero();
        String shown = text.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("bin/ipsecctl --socket ").contains("dropped: 1 replayed, 1 failed ICV")
                .contains("ESP rejected by its SA").contains("appears in none of them")
                .contains("none of this lab's namespaces is left");
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(o.lab() + "-"));
        assertThat(o.namespaces()).hasSize(4);
    }
}
