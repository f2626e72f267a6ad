package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.TrafficSelectorSpec;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {
    @ParameterizedTest
    @CsvSource({"2001:db8:2::, 2001:db8:2::", "::, ::", "::1, ::1", "2001:db8::1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", "fe80:0:0:0:1:2:3:4, fe80::1:2:3:4", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7"})
    void ipv6IsPrintedTheWayStrongSwanPrintsIt(String literal, String expected) {
        assertThat(Selectors.text(InetAddress.ofLiteral(literal))).isEqualTo(expected);
    }

    @Test
    void prefixesPrintAsCidrAndOtherRangesAsStartEnd() {
        assertThat(Selectors.format(Selectors.of(List.of(TrafficSelectorSpec.parse("2001:db8:2::/64"),
                TrafficSelectorSpec.parse("10.1.0.0/16[tcp/443]"))))).isEqualTo("2001:db8:2::/64, 10.1.0.0/16[tcp/443]");
        var narrowed = Selectors.narrow(Selectors.of(List.of(TrafficSelectorSpec.parse("10.0.0.0/8"))),
                Selectors.of(List.of(TrafficSelectorSpec.parse("10.1.2.0/24[udp]"))));
        assertThat(Selectors.format(narrowed)).isEqualTo("10.1.2.0/24[udp]");
    }
}
