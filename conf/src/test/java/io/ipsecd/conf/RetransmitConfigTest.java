package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code global.ike.retransmit}: strongSwan's schedule by default, every part settable, nonsense refused. */
class RetransmitConfigTest {
    @TempDir Path dir;

    private static String config(String retransmit) {
        return """
                global:
                  ike:
                    retransmit: %s
                connections:
                  site:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                """.formatted(retransmit);
    }

    @Test
    void defaultsAreStrongSwans() {
        assertThat(TestFiles.valid(config("null"), dir).global().retransmit())
                .isEqualTo(new Retransmit(Duration.ofSeconds(4), 1.8, Duration.ofMinutes(5), 5));
    }

    @Test
    void everyPartIsSettable() {
        assertThat(TestFiles.valid(config("{ timeout: 1s, factor: 1.5, max_timeout: 2s, retransmits: 3 }"), dir)
                .global().retransmit()).isEqualTo(new Retransmit(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(2), 3));
    }

    @Test
    void nonsenseIsRefusedWithItsLine() {
        LoadResult r = TestFiles.parse(config("{ timeout: 10s, factor: 0.5, max_timeout: 2s, retransmits: 99, tries: 1 }"), dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        assertThat(((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList()).anySatisfy(e -> assertThat(e)
                .contains(":3:").contains("max_timeout 2s is shorter than timeout 10s"))
                .anySatisfy(e -> assertThat(e).contains("factor").contains("expected a number from 1 to 4"))
                .anySatisfy(e -> assertThat(e).contains("retransmits").contains("0..20"))
                .anySatisfy(e -> assertThat(e).contains("tries"));
    }
}
