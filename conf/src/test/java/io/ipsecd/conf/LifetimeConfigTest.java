package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lifetime} as a duration or as a mapping of time, bytes, packets, rekey margin and jitter. */
class LifetimeConfigTest {
    @TempDir Path dir;

    private static String config(String ikeLifetime, String childLifetime) {
        return """
                connections:
                  site:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                    ike: { lifetime: %s }
                    children:
                      net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], lifetime: %s }
                """.formatted(ikeLifetime, childLifetime);
    }

    private Connection site(String ikeLifetime, String childLifetime) {
        return TestFiles.valid(config(ikeLifetime, childLifetime), dir).connections().get("site");
    }

    private List<String> errors(String ikeLifetime, String childLifetime) {
        LoadResult r = TestFiles.parse(config(ikeLifetime, childLifetime), dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
    }

    @Test
    void theScalarFormIsTheHardTimeLimitWithTheDefaultMarginAndJitter() {
        Connection c = site("8h", "45m");
        assertThat(c.ike().lifetime()).isEqualTo(new Lifetime(Duration.ofHours(8), OptionalLong.empty(),
                OptionalLong.empty(), 10, 5));
        assertThat(c.children().get("net").lifetime().time()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void defaultsFollowTheCloudPeersEightHoursForIkeAndOneForChildren() {
        Connection c = site("null", "null");
        assertThat(c.ike().lifetime()).isEqualTo(Lifetime.of(Duration.ofHours(8)));
        assertThat(c.children().get("net").lifetime()).isEqualTo(Lifetime.of(Duration.ofHours(1)));
    }

    @Test
    void theMappingFormSetsEveryLimit() {
        Connection c = site("{ time: 4h, rekey_margin: 20%, jitter: 0% }",
                "{ time: 27000s, bytes: 102400000KB, packets: 1_000_000, rekey_margin: 15, jitter: 10% }");
        assertThat(c.ike().lifetime()).isEqualTo(new Lifetime(Duration.ofHours(4), OptionalLong.empty(),
                OptionalLong.empty(), 20, 0));
        Lifetime child = c.children().get("net").lifetime();
        assertThat(child.time()).isEqualTo(Duration.ofSeconds(27000));
        assertThat(child.bytes()).hasValue(102_400_000L * 1024);
        assertThat(child.packets()).hasValue(1_000_000);
        assertThat(child.rekeyMarginPercent()).isEqualTo(15);
        assertThat(child.jitterPercent()).isEqualTo(10);
    }

    @Test
    void aMappingWithoutTimeKeepsTheDefaultTime() {
        Lifetime child = site("8h", "{ bytes: 1GB }").children().get("net").lifetime();
        assertThat(child).isEqualTo(new Lifetime(Duration.ofHours(1), OptionalLong.of(1L << 30), OptionalLong.empty(),
                10, 5));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "512B, 512", "4k, 4096", "500MB, 524288000", "100GiB, 107374182400", "2T, 2199023255552"})
    void byteSizes(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(Outcome.ok(bytes));
    }

    @Test
    void softLimitsAreTheMarginBeforeTheHardOneAndTheJitterRangeIsAShareOfIt() {
        Lifetime l = new Lifetime(Duration.ofHours(1), OptionalLong.empty(), OptionalLong.empty(), 10, 5);
        assertThat(l.latestRekey(3_600_000)).isEqualTo(3_240_000);
        assertThat(l.jitterRange(3_600_000)).isEqualTo(180_000);
        assertThat(l.latestRekey(Long.MAX_VALUE)).isPositive().isLessThan(Long.MAX_VALUE);
        assertThat(l.latestRekey(7)).isEqualTo(7); // too small to leave a margin: the limit itself
    }

    @Test
    void badValuesAreReportedWithTheirPosition() {
        assertThat(errors("{ time: 8h, bytes: 1GB, packets: 5 }",
                "{ bytes: 0, packets: -3, rekey_margin: 60%, jitter: 30%, time: 1x, size: 2 }")).containsExactly(
                "test.yaml:6:34: connections.site.ike.lifetime.bytes: an IKE SA's lifetime is by time only: bytes count ESP traffic, so set them on a child's lifetime",
                "test.yaml:6:46: connections.site.ike.lifetime.packets: an IKE SA's lifetime is by time only: packets count ESP traffic, so set them on a child's lifetime",
                "test.yaml:8:84: connections.site.children.net.lifetime.bytes: expected a positive size, found '0'",
                "test.yaml:8:96: connections.site.children.net.lifetime.packets: expected a positive number of packets, found '-3'",
                "test.yaml:8:114: connections.site.children.net.lifetime.rekey_margin: expected a percentage 1%..50% (the rekey comes this share of the lifetime before it ends), found '60%'",
                "test.yaml:8:127: connections.site.children.net.lifetime.jitter: expected a percentage 0%..25% (a random share by which the rekey comes earlier still), found '30%'",
                "test.yaml:8:138: connections.site.children.net.lifetime.time: expected a duration like 30s, 45m, 8h, 1d, 1h30m or a number of seconds, found '1x'",
                "test.yaml:8:142: connections.site.children.net.lifetime: unknown key 'size': expected one of time, bytes, packets, rekey_margin, jitter (did you mean 'time'?)");
    }

    @Test
    void aListIsNeitherADurationNorAMapping() {
        assertThat(errors("[1h]", "{ bytes: 10 EB }")).containsExactly(
                "test.yaml:6:22: connections.site.ike.lifetime: expected a duration like 1h, or a mapping with time, bytes, packets, rekey_margin, jitter, found a list",
                "test.yaml:8:84: connections.site.children.net.lifetime.bytes: expected a size like 500MB, 100GB or a number of bytes, found '10 EB'");
    }

    @Test
    void aChangedLifetimeIsAChangedConnectionForReload() {
        Config a = TestFiles.valid(config("8h", "1h"), dir);
        Config b = TestFiles.valid(config("8h", "{ time: 1h, packets: 100 }"), dir);
        assertThat(ConfigDiff.between(a, b).changed()).containsExactly("site");
        assertThat(ConfigDiff.between(a, TestFiles.valid(config("8h", "{ time: 1h }"), dir)).isEmpty()).isTrue();
    }
}
