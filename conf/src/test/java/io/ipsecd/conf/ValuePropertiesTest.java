package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Durations and traffic selectors: format, then parse, gives the same value back. */
class ValuePropertiesTest {
    @Property
    void durationsRoundTrip(@ForAll @LongRange(min = 1, max = 10_000_000) long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        String text = Durations.format(d);
        assertThat(Durations.parse(text).orThrow()).isEqualTo(d);
        assertThat(Durations.parse(Long.toString(seconds)).orThrow()).isEqualTo(d);
    }

    @Property
    void durationComponentsAddUp(@ForAll @IntRange(max = 30) int days, @ForAll @IntRange(max = 48) int hours,
                                 @ForAll @IntRange(max = 120) int minutes, @ForAll @IntRange(max = 120) int seconds) {
        String text = (days > 0 ? days + "d" : "") + (hours > 0 ? hours + "h" : "") + (minutes > 0 ? minutes + "m" : "")
                + (seconds > 0 || days + hours + minutes == 0 ? seconds + "s" : "");
        long expected = days * 86400L + hours * 3600L + minutes * 60L + seconds;
        assertThat(Durations.parse(text).orThrow()).isEqualTo(Duration.ofSeconds(expected));
    }

    @Example
    void durationExamples() {
        assertThat(Durations.parse("1h30m").orThrow()).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1d").orThrow()).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.parse("h")).isInstanceOf(Outcome.Err.class);
        assertThat(Durations.parse("30s5m")).isInstanceOf(Outcome.Err.class);
        assertThat(Durations.parse("-5")).isInstanceOf(Outcome.Err.class);
    }

    @Property
    void selectorsRoundTrip(@ForAll("selectors") TrafficSelectorSpec ts) {
        assertThat(TrafficSelectorSpec.parse(ts.toString())).isEqualTo(ts);
    }

    @Provide
    Arbitrary<TrafficSelectorSpec> selectors() {
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<byte[]> addr = Arbitraries.oneOf(v4, v6);
        return Combinators.combine(addr, Arbitraries.integers().between(0, 128),
                        Arbitraries.of(0, 1, 6, 17, 47, 50, 58, 132, 255),
                        Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
                .as((bytes, prefix, proto, a, b) -> {
                    int len = Math.min(prefix, bytes.length * 8);
                    InetAddress net = SelectorParser.mask(ip(bytes), len);
                    int low = proto == 0 ? 0 : Math.min(a, b);
                    int high = proto == 0 ? 65535 : Math.max(a, b);
                    return new TrafficSelectorSpec(net, len, proto, low, high);
                });
    }

    private static InetAddress ip(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Example
    void selectorForms() {
        assertThat(TrafficSelectorSpec.parse("10.1.0.0/16[tcp/443]").toString()).isEqualTo("10.1.0.0/16[tcp/443]");
        assertThat(TrafficSelectorSpec.parse("10.1.0.0/16[udp]").toString()).isEqualTo("10.1.0.0/16[udp]");
        assertThat(TrafficSelectorSpec.parse("10.1.0.0/16[6/1000-2000]").toString()).isEqualTo("10.1.0.0/16[tcp/1000-2000]");
        assertThat(TrafficSelectorSpec.parse("192.0.2.7").toString()).isEqualTo("192.0.2.7/32");
        assertThat(TrafficSelectorSpec.parse("2001:DB8:0:0::1").toString()).isEqualTo("2001:db8::1/128");
        assertThat(TrafficSelectorSpec.parse("2001:db8::/32[udp/%any]").toString()).isEqualTo("2001:db8::/32[udp]");
        assertThat(TrafficSelectorSpec.parse("0.0.0.0/0[icmp6]").toString()).isEqualTo("0.0.0.0/0[ipv6-icmp]");
        TrafficSelectorSpec ts = TrafficSelectorSpec.parse("10.1.0.0/16[6/1000-2000]");
        assertThat(ts.protocol()).isEqualTo(6);
        assertThat(ts.portLow()).isEqualTo(1000);
        assertThat(ts.portHigh()).isEqualTo(2000);
        assertThat(ts.prefixLength()).isEqualTo(16);
    }

    @Example
    void identityKinds() {
        assertThat(IdentityParser.parse("192.0.2.1").orThrow().kind()).isEqualTo(IdKind.IPV4_ADDR);
        assertThat(IdentityParser.parse("2001:db8::1").orThrow().kind()).isEqualTo(IdKind.IPV6_ADDR);
        assertThat(IdentityParser.parse("gw.example.com").orThrow().kind()).isEqualTo(IdKind.FQDN);
        assertThat(IdentityParser.parse("@gw.example.com").orThrow()).isEqualTo(new Identity(IdKind.FQDN, "gw.example.com"));
        assertThat(IdentityParser.parse("vpn@example.com").orThrow().kind()).isEqualTo(IdKind.RFC822_ADDR);
        assertThat(IdentityParser.parse("C=US, O=Example, CN=gw").orThrow().kind()).isEqualTo(IdKind.DER_ASN1_DN);
        assertThat(IdentityParser.parse("keyid:0A1b").orThrow()).isEqualTo(new Identity(IdKind.KEY_ID, "0a1b"));
        assertThat(IdentityParser.parse("keyid:0A1b").orThrow().toString()).isEqualTo("keyid:0a1b");
        assertThat(IdentityParser.parse("12345").orThrow().kind()).isEqualTo(IdKind.FQDN);
    }
}
