package io.ipsecd.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetransmitterTest {
    private final ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-11-28T00:00:00Z"));
    private final List<Instant> sent = new ArrayList<>();
    private final AtomicReference<Retransmitter.GiveUp> gaveUp = new AtomicReference<>();

    @Test
    void defaultPolicyBacksOffLikeStrongSwan() {
        RetransmitPolicy p = RetransmitPolicy.DEFAULT;
        assertThat(List.of(p.timeoutAfter(0), p.timeoutAfter(1), p.timeoutAfter(2), p.timeoutAfter(5)))
                .containsExactly(Duration.ofMillis(4000), Duration.ofMillis(7200), Duration.ofMillis(12960),
                        Duration.ofMillis(75583));
        assertThat(p.giveUpAfter()).isEqualTo(Duration.ofMillis(165_061));
        assertThat(new RetransmitPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(3), 3).timeoutAfter(3))
                .as("capped").isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void resendsWithBackoffThenGivesUpWithAnAdminMessage() {
        var policy = new RetransmitPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 4);
        Retransmitter r = new Retransmitter(loop, policy, datagram -> sent.add(loop.now()));
        r.send(0, List.of(new byte[] {1}), gaveUp::set);
        loop.advance(Duration.ofMinutes(5));
        Instant t0 = Instant.parse("2026-11-28T00:00:00Z");
        assertThat(sent).containsExactly(t0, t0.plusSeconds(1), t0.plusSeconds(3), t0.plusSeconds(7), t0.plusSeconds(15));
        assertThat(gaveUp.get()).isEqualTo(new Retransmitter.GiveUp(0, 4, Duration.ofSeconds(31)));
        assertThat(gaveUp.get().describe("192.0.2.2"))
                .isEqualTo("peer 192.0.2.2 not answering: gave up after 4 retransmits (31 s)");
        assertThat(r.outstanding()).isFalse();
    }

    @Test
    void aResponseStopsTheResendsAndOnlyTheOutstandingIdCounts() {
        Retransmitter r = new Retransmitter(loop, RetransmitPolicy.DEFAULT, datagram -> sent.add(loop.now()));
        r.send(7, List.of(new byte[] {1}, new byte[] {2}), gaveUp::set);
        loop.advance(Duration.ofSeconds(5));
        assertThat(sent).hasSize(4).as("both fragments, twice");
        assertThat(r.answered(6)).isFalse();
        assertThat(r.answered(7)).isTrue();
        loop.advance(Duration.ofMinutes(10));
        assertThat(sent).hasSize(4);
        assertThat(gaveUp.get()).isNull();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void oneRequestAtATime() {
        Retransmitter r = new Retransmitter(loop, RetransmitPolicy.DEFAULT, datagram -> { });
        r.send(1, List.of(new byte[] {1}), gaveUp::set);
        assertThatThrownBy(() -> r.send(2, List.of(new byte[] {2}), gaveUp::set))
                .hasMessage("request 1 is still outstanding");
        r.cancel();
        loop.advance(Duration.ofMinutes(10));
        assertThat(gaveUp.get()).isNull();
    }
}
