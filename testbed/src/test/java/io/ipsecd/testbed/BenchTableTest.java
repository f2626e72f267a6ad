package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchTableTest {
    private static Bench.Outcome measured(double gbps1, double rttMs) {
        return new Bench.Outcome.Measured(new ScenarioReport("x", Duration.ZERO, Duration.ZERO, Duration.ZERO,
                List.of(new Probe.IperfResult(2, 77.7, 0), // the unmeasured warm-up run
                        new Probe.IperfResult(1, gbps1, 0), new Probe.PingResult("IPv4", 5, 5, rttMs)), Map.of()));
    }

    private static String row(String table, String title) {
        return table.lines().filter(l -> l.startsWith("| " + title)).findFirst().orElseThrow();
    }

    @Test
    void ratiosCompareIpsecdWithTheBetterStrongSwanPairOfEachRow() {
        Map<String, Bench.Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put("plain routing", measured(10.0, 0.05));
        outcomes.put(Bench.STRONGSWAN_PAIRS.get(0), measured(0.40, 0.50)); // slower, but lower RTT
        outcomes.put(Bench.STRONGSWAN_PAIRS.get(1), measured(0.50, 0.80));
        outcomes.put(Bench.IPSECD_PAIR, measured(2.50, 1.00));
        String table = Bench.table(outcomes, 8);

        // 2.50 / 0.50 (6.1.0 is the faster pair) and 1.00 / 0.50 (5.9.8 has the lower RTT).
        assertThat(row(table, "TCP 1 stream")).contains("5.00x").contains("0.25x");
        assertThat(row(table, "ping RTT")).contains("2.00x").contains("20.00x");
        assertThat(table).doesNotContain("77.7");
    }

    @Test
    void aMissingColumnGivesNoRatioRatherThanFailing() {
        Map<String, Bench.Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put(Bench.STRONGSWAN_PAIRS.get(0), new Bench.Outcome.Unavailable("no 5.9.8 here"));
        outcomes.put(Bench.IPSECD_PAIR, measured(2.50, 1.00));
        String table = Bench.table(outcomes, 8);

        assertThat(row(table, "TCP 1 stream")).contains("not available").contains("n/a");
        assertThat(table).contains("no 5.9.8 here");
    }
}
