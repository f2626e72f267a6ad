package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ike.fragmentation} and {@code ike.fragment_size} (RFC 7383). */
class FragmentationConfigTest {
    @TempDir Path dir;

    private static String config(String ike) {
        return """
                connections:
                  site:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                    ike: %s
                    children:
                      net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }
                """.formatted(ike);
    }

    private Fragmentation fragmentation(String ike) {
        return TestFiles.valid(config(ike), dir).connections().get("site").ike().fragmentation();
    }

    private List<String> errors(String ike) {
        LoadResult r = TestFiles.parse(config(ike), dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
    }

    @Test
    void onByDefaultWithIpv6MinimumMtuFragments() {
        assertThat(fragmentation("null")).isEqualTo(new Fragmentation(true, 1280));
        assertThat(fragmentation("{ encap: true }")).isEqualTo(Fragmentation.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{ fragment_size: 576 }                        | true  | 576",
            "{ fragmentation: true, fragment_size: 65535 } | true  | 65535",
            "{ fragment_size: 1K }                         | true  | 1024",
            "{ fragmentation: false }                      | false | 1280",
            "{ fragmentation: no, fragment_size: 1400 }    | false | 1400"})
    void bothKeysAreRead(String ike, boolean enabled, int size) {
        assertThat(fragmentation(ike)).isEqualTo(new Fragmentation(enabled, size));
    }

    @Test
    void sizesOutsideTheRangeAreRefusedWithFileLineAndTheRange() {
        assertThat(errors("{ fragment_size: 575 }")).containsExactly("test.yaml:6:27: connections.site.ike.fragment_size: "
                + "fragment size 575 is out of range: expected 576 (the IPv4 datagram every host accepts) to 65535 bytes, "
                + "IP and UDP headers included; 1280 suits IPv6 paths");
        assertThat(errors("{ fragment_size: 64K }")).singleElement().asString()
                .contains(":6:27: connections.site.ike.fragment_size: fragment size 64K is out of range");
    }

    @Test
    void malformedValuesAreRefused() {
        assertThat(errors("{ fragment_size: big }")).singleElement().asString()
                .contains("connections.site.ike.fragment_size: expected a size like 500MB");
        assertThat(errors("{ fragmentation: maybe }")).singleElement().asString()
                .contains("connections.site.ike.fragmentation: expected true or false");
        assertThat(errors("{ fragment_sizes: 1000 }")).singleElement().asString()
                .contains("unknown key 'fragment_sizes'").contains("(did you mean 'fragment_size'?)");
    }
}
