package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Damaged configs never make the loader throw, and their errors are well formed and secret-free. */
class RobustnessPropertiesTest {
    private static final String VALID = """
            global:
              control: { socket: /run/ipsecd/ipsecd.sock, group: ipsecd, allowed_users: [root] }
              logging: { level: info, subsystems: { ike: debug } }
            connections:
              site:
                local: { address: 192.0.2.1, id: gw.example.com }
                remote: { address: 192.0.2.2, port: 500 }
                psk: { env: TEST_PSK }
                ike: { proposals: [aes256gcm16-prfsha384-ecp384], dpd: { delay: 30s, timeout: 45s } }
                children:
                  net:
                    local_ts: [10.1.0.0/16, "2001:db8:1::/48"]
                    remote_ts: [10.2.0.0/16, "2001:db8:2::/48"]
                    esp_proposals: [aes256gcm16-ecp384]
                    start: trap
            """;

    record Edit(int position, int deleteCount, String insert) {}

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<String> snippets = Arbitraries.of("", ":", " ", "\n", "-", "[", "]", "{", "}", ",", "\"", "'", "&a ", "*a",
                "%", "\t", "x", "0", "/", "#", "? ", "!!str ", "::", "remote", "  ", "\n  ", "\n    - ");
        Arbitrary<Edit> edit = Arbitraries.integers().between(0, VALID.length())
                .flatMap(p -> Arbitraries.integers().between(0, 6).flatMap(d -> snippets.map(s -> new Edit(p, d, s))));
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 500)
    void damagedConfigsGiveErrorsNotExceptions(@ForAll("edits") List<Edit> edits) {
        StringBuilder text = new StringBuilder(VALID);
        for (Edit e : edits) {
            int at = Math.min(e.position(), text.length());
            text.delete(at, Math.min(text.length(), at + e.deleteCount())).insert(at, e.insert());
        }
        LoadResult r = ConfigLoader.parse(text.toString(), "fuzz.yaml", Path.of("/nonexistent"), TestFiles::env);
        assertThat(r.toString()).doesNotContain(TestFiles.PSK);
        if (r instanceof LoadResult.Invalid(var errors)) {
            long lines = text.chars().filter(c -> c == '\n').count() + 1;
            for (ConfigError e : errors) {
                assertThat(e.line()).isBetween(1, (int) lines + 1);
                assertThat(e.column()).isPositive();
                assertThat(e.field()).isNotBlank();
                assertThat(e.message()).isNotBlank().doesNotContain("internal error");
            }
        }
    }
}
