package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.LoopbackGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported IKE cipher with every supported key exchange, over loopback UDP: both sides
 * establish the IKE SA and the first Child SA, agree on what was chosen, and derive the same
 * keys. PRFs and ESP transforms rotate through the rows so that each appears several times.
 */
class NegotiatorMatrixTest {
    private static final List<String> CIPHERS = List.of("aes128gcm16", "aes256gcm16", "chacha20poly1305",
            "aes128-sha256", "aes256-sha384", "aes256-sha512", "aes128-sha1");
    private static final List<String> AEAD_PRFS = List.of("prfsha256", "prfsha384", "prfsha512", "prfsha1");
    private static final Map<String, String> GROUPS = Map.of("modp2048", "MODP_2048", "modp3072", "MODP_3072",
            "modp4096", "MODP_4096", "ecp256", "ECP_256", "ecp384", "ECP_384", "ecp521", "ECP_521",
            "x25519", "CURVE_25519", "x448", "CURVE_448");
    private static final List<String> ESP = List.of("aes128gcm16", "aes256gcm16", "chacha20poly1305",
            "aes128-sha256", "aes256-sha384", "aes256-sha512", "aes128-sha1", "aes256gcm16-esn");

    static Stream<Arguments> combinations() {
        List<Arguments> rows = new ArrayList<>();
        int n = 0;
        for (String cipher : CIPHERS) {
            for (String group : GROUPS.keySet().stream().sorted().toList()) {
                boolean aead = cipher.contains("gcm") || cipher.contains("poly");
                String ike = cipher + (aead ? "-" + AEAD_PRFS.get(n % AEAD_PRFS.size()) : "") + "-" + group;
                rows.add(Arguments.of(ike, ESP.get(n % ESP.size()), GROUPS.get(group)));
                n++;
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} / esp {1}")
    @MethodSource("combinations")
    void establishesWithTheSameChoicesAndKeysOnBothSides(String ike, String esp, String keyExchange) throws Exception {
        try (NegotiatorLoopbackTest.Lab lab = NegotiatorLoopbackTest.lab(ike, esp)) {
            lab.corp().run(n -> n.initiate(lab.corpConn(), List.of()));
            assertThat(await(() -> lab.corp().up() && lab.cloud().up(), Duration.ofSeconds(10)))
                    .as("both sides up; corp failures %s, cloud failures %s", lab.corp().failures, lab.cloud().failures)
                    .isTrue();
            IkeSaInfo i = lab.corp().sas().getFirst();
            IkeSaInfo r = lab.cloud().sas().getFirst();
            assertThat(i.keyExchange()).isEqualTo(keyExchange).isEqualTo(r.keyExchange());
            assertThat(List.of(i.encryption(), i.integrity(), i.prf()))
                    .isEqualTo(List.of(r.encryption(), r.integrity(), r.prf()));
            IkeSaInfo.ChildSaInfo ci = i.children().getFirst();
            IkeSaInfo.ChildSaInfo cr = r.children().getFirst();
            assertThat(ci.encryption()).isEqualTo(cr.encryption());
            NegotiatorLoopbackTest.assertSameKeys(lab, ci.spiIn(), ci.spiOut());
            assertThat(lab.corp().failures).isEmpty();
            assertThat(lab.cloud().failures).isEmpty();
        }
    }
}
