package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recognisable PSK must never show up in error texts or in any toString. */
class SecretTest {
    @TempDir Path dir;

    @Test
    void secretHidesItsValue() {
        Secret s = Secret.of(TestFiles.PSK.getBytes(StandardCharsets.UTF_8), "env X");
        assertThat(s.toString()).isEqualTo("<secret>");
        assertThat(s.hashCode()).isEqualTo(TestFiles.PSK.length());
        assertThat(s.source()).isEqualTo("env X");
    }

    @Test
    void equalityIsByContent() {
        Secret a = Secret.of("a".repeat(24).getBytes(), "file /a");
        Secret b = Secret.of("a".repeat(24).getBytes(), "env B");
        Secret c = Secret.of("b".repeat(24).getBytes(), "file /a");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.equalsConstantTime(b)).isTrue();
        assertThat(a.equalsConstantTime(c)).isFalse();
        assertThat(a.equalsConstantTime(null)).isFalse();
    }

    @Test
    void bytesAreCopiesAndDestroyZeroes() {
        byte[] original = TestFiles.PSK.getBytes();
        Secret s = Secret.of(original, "env X");
        original[0] = 'x';
        byte[] copy = s.bytes();
        copy[1] = 'y';
        assertThat(new String(s.bytes())).isEqualTo(TestFiles.PSK);
        s.destroy();
        assertThat(s.bytes()).containsOnly(0);
    }

    @Test
    void validConfigToStringHidesThePsk() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        Config c = TestFiles.valid("""
                connections:
                  a:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { file: a.psk }
                  b:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.3 }
                    psk: { env: TEST_PSK }
                """, dir);
        assertThat(c.toString()).doesNotContain(TestFiles.PSK).contains("psk=Optional[<secret>]");
        assertThat(c.connections().get("b").toString()).doesNotContain(TestFiles.PSK);
    }

    @Test
    void errorsNeverContainThePsk() throws Exception {
        String psk = TestFiles.PSK;
        TestFiles.psk(dir, "open.psk", psk, "rw-r--r--");
        TestFiles.psk(dir, "good.psk", psk, "rw-------");
        TestFiles.psk(dir, "short.psk", psk.substring(0, 10), "rw-------");
        List<String> configs = List.of(
                // the PSK pasted inline, in several wrong places
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n    psk: \"" + psk + "\"\n",
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n    psk: [\"" + psk + "\"]\n",
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n    psk: { value: \"" + psk + "\" }\n",
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n    psk: { file: { x: \"" + psk + "\" } }\n",
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n    psk: " + psk + " : [\n",
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n    psk: '" + psk + "\n",
                "connections:\n  a:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.2 }\n\tpsk: " + psk + "\n",
                // the PSK read from files and the environment, with every other field wrong
                """
                connections:
                  a:
                    local: { address: 192.0.2.999, id: "bad id", port: 0, auth: pubkey }
                    remote: { address: "2001:db8::1", id: "keyid:z" }
                    psk: { file: open.psk }
                    ike: { proposals: [aes257-sha256-ecp384, aes256gcm16-modp1024], lifetime: 0, dpd: { delay: 1m, timeout: 1s } }
                    children:
                      c: { local_ts: [10.0.0.1/8], remote_ts: ["::/0"], esp_proposals: [aes256-prfsha256], start: go }
                  b:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK, file: good.psk }
                  c:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { file: short.psk }
                  d:
                    local: { address: 192.0.2.1, auth: pubkey }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                    bogus: 1
                """);
        List<String> texts = new ArrayList<>();
        for (String yaml : configs) {
            LoadResult r = TestFiles.parse(yaml, dir);
            assertThat(r).isInstanceOf(LoadResult.Invalid.class);
            texts.add(r.toString());
            ((LoadResult.Invalid) r).errors().forEach(e -> texts.add(e.toString()));
        }
        assertThat(texts).hasSizeGreaterThan(20);
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(psk).doesNotContain(psk.substring(0, 10)));
    }
}
