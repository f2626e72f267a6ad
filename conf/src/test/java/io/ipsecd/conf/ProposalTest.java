package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProposalTest {
    @ParameterizedTest(name = "IKE {0} -> {1}")
    @CsvSource({
            "aes256gcm16-prfsha384-ecp384, aes256gcm16-prfsha384-ecp384",
            "aes128-sha256-modp2048, aes128-sha256-prfsha256-modp2048",
            "chacha20poly1305-prfsha256-x25519, chacha20poly1305-prfsha256-x25519",
            "aes256-sha256-modp2048, aes256-sha256-prfsha256-modp2048",
            "aes256gcm16-prfsha512-ecp521, aes256gcm16-prfsha512-ecp521",
            "aes256gcm16-prfsha384-x25519-ke1_mlkem768, aes256gcm16-prfsha384-x25519-ke1_mlkem768",
            "aes256gcm128-prfsha256-curve25519, aes256gcm16-prfsha256-x25519",
            "AES128-SHA1-MODP2048, aes128-sha1-prfsha1-modp2048",
            "aes128-aes256-sha256-sha384-ecp256-ecp384, aes128-aes256-sha256-sha384-prfsha256-prfsha384-ecp256-ecp384",
            "aes256-sha512-prfsha256-curve448, aes256-sha512-prfsha256-x448",
            "aes256gcm16-prfsha384-ecp384-ke1_mlkem768-ke2_mlkem1024, aes256gcm16-prfsha384-ecp384-ke1_mlkem768-ke2_mlkem1024",
            "aes256gcm16-prfsha384-ecp384-ke1_mlkem768-ke1_mlkem512, aes256gcm16-prfsha384-ecp384-ke1_mlkem768-ke1_mlkem512",
    })
    void ikeRoundTrip(String text, String canonical) {
        Proposal p = Proposal.parseIke(text);
        assertThat(p.toString()).isEqualTo(canonical);
        assertThat(Proposal.parseIke(canonical)).isEqualTo(p);
    }

    @ParameterizedTest(name = "ESP {0} -> {1}")
    @CsvSource({
            "aes256gcm16, aes256gcm16",
            "aes256gcm16-ecp384, aes256gcm16-ecp384",
            "aes128-sha256, aes128-sha256",
            "aes256-sha1-esn, aes256-sha1-esn",
            "aes256-sha1-noesn, aes256-sha1",
            "aes256-sha1-esn-noesn, aes256-sha1-esn-noesn",
            "aes128gcm128-aes256gcm16, aes128gcm16-aes256gcm16",
            "chacha20poly1305-x25519-ke1_mlkem768, chacha20poly1305-x25519-ke1_mlkem768",
    })
    void espRoundTrip(String text, String canonical) {
        Proposal p = Proposal.parseEsp(text);
        assertThat(p.toString()).isEqualTo(canonical);
        assertThat(Proposal.parseEsp(canonical)).isEqualTo(p);
    }

    @Test
    void modelHoldsEachTransformType() {
        Proposal p = Proposal.parseIke("aes256gcm16-prfsha384-x25519-ke1_mlkem768");
        assertThat(p.encryption()).containsExactly(Encryption.AES256GCM16);
        assertThat(p.integrity()).isEmpty();
        assertThat(p.prf()).containsExactly(Prf.PRFSHA384);
        assertThat(p.keyExchange()).containsExactly(KeyExchange.X25519);
        assertThat(p.additionalKeyExchanges()).containsExactly(List.of(KeyExchange.MLKEM768));
        assertThat(p.esn()).isEmpty();
        assertThat(p.aead()).isTrue();
        Proposal esp = Proposal.parseEsp("aes128-sha256");
        assertThat(esp.esn()).containsExactly(Esn.NO_ESN);
        assertThat(esp.prf()).isEmpty();
        assertThat(esp.keyExchange()).isEmpty();
    }

    @Test
    void keywordsAndTransformIds() {
        assertThat(Encryption.AES256GCM16.keyword()).isEqualTo("aes256gcm16");
        assertThat(Encryption.AES256GCM16.transformId()).isEqualTo(20);
        assertThat(Integrity.SHA256.transformId()).isEqualTo(12);
        assertThat(KeyExchange.ECP384.transformId()).isEqualTo(20);
        assertThat(KeyExchange.MODP1024.weak()).isTrue();
        assertThat(KeyExchange.MODP2048.weak()).isFalse();
        assertThat(Prf.PRFSHA384.keyword()).isEqualTo("prfsha384");
    }

    @Test
    void badProposalsThrowFromTheConvenienceParsers() {
        assertThatThrownBy(() -> Proposal.parseIke("aes256gcm16-sha256-ecp384"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AEAD algorithm aes256gcm16 must not be combined with an integrity algorithm, found sha256");
        assertThatThrownBy(() -> Proposal.parseEsp("aes256--sha1"))
                .hasMessage("empty keyword in proposal 'aes256--sha1' (two dashes in a row?)");
        assertThatThrownBy(() -> Proposal.parseEsp("sha256"))
                .hasMessage("proposal 'sha256' has no encryption algorithm: expected one of aes128, aes256, aes128gcm16, aes256gcm16, chacha20poly1305");
        assertThatThrownBy(() -> Proposal.parseEsp("aes256gcm16-ke1_mlkem768"))
                .hasMessage("additional key exchange ke1_ needs a key exchange group first, e.g. ecp384-ke1_mlkem768");
        assertThatThrownBy(() -> Proposal.parseEsp("aes256gcm16-ke1_mlkem786"))
                .hasMessage("unknown algorithm 'mlkem786': expected one of modp1024, modp1536, modp2048, modp3072, modp4096, ecp256, ecp384, ecp521, x25519, x448, mlkem512, mlkem768, mlkem1024 (did you mean 'mlkem768'?)");
    }

    @Test
    void didYouMeanUsesEditDistance() {
        assertThat(Suggest.closest("remote_tss", List.of("local_ts", "remote_ts"))).contains("remote_ts");
        assertThat(Suggest.closest("restrat", List.of("restart", "trap", "clear"))).contains("restart");
        assertThat(Suggest.closest("zzzzzz", List.of("restart", "trap", "clear"))).isEmpty();
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
    }
}
