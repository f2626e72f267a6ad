package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.PayloadCodec;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.ProtocolId;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.message.Transform;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9370 additional key exchange transforms (types 6..12) in IKE proposals. */
class AdditionalKeProposalsTest {

    /**
     * The SA payload body for {@code aes256gcm16-prfsha384-x25519-ke1_mlkem768}: one proposal, the
     * ML-KEM-768 transform as type 6 (Additional Key Exchange 1), ID 36. Layout checked with tshark
     * (it decodes four transforms, the last "type 6, ID 36").
     */
    private static final String HYBRID_SA_BODY = "0000002c01010004"
            + "0300000c01000014800e0100"   // ENCR AES_GCM_16, key length 256
            + "0300000802000006"           // PRF_HMAC_SHA2_384
            + "030000080400001f"           // KE Curve25519 (31)
            + "0000000806000024";          // ADDKE1 ML-KEM-768 (36), last

    private static List<Proposal> ike(String... configured) {
        List<io.ipsecd.conf.Proposal> list = new ArrayList<>();
        for (String c : configured) {
            list.add(io.ipsecd.conf.Proposal.parseIke(c));
        }
        return Proposals.ike(list);
    }

    private static Proposal peer(String configured) {
        return ike(configured).getFirst();
    }

    @Test
    void encodesAdditionalKeyExchangeOneAsTransformTypeSix() {
        byte[] body = PayloadCodec.encodeBody(new SaPayload(ike("aes256gcm16-prfsha384-x25519-ke1_mlkem768")));
        assertThat(HexFormat.of().formatHex(body)).isEqualTo(HYBRID_SA_BODY);
    }

    @Test
    void encodesSeveralAdditionalKeyExchangesInTypeOrder() {
        Proposal p = peer("aes256gcm16-prfsha512-ecp384-ke1_mlkem1024-ke1_mlkem768-ke2_x25519");
        assertThat(p.transforms().subList(3, 6)).extracting(Transform::type, Transform::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6, 37), org.assertj.core.groups.Tuple.tuple(6, 36),
                        org.assertj.core.groups.Tuple.tuple(7, 31));
        assertThat(Proposals.describe(p)).isEqualTo("aes256gcm16-prfsha512-ecp384-ke1_mlkem1024-ke1_mlkem768-ke2_x25519");
    }

    @Test
    void responderPicksItsPreferredMethodOfEachAdditionalType() {
        List<Proposal> ours = ike("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke1_mlkem1024-ke2_ecp384");
        Proposal theirs = peer("aes256gcm16-prfsha384-x25519-ke1_mlkem1024-ke1_mlkem768-ke2_ecp384");
        Proposal chosen = Proposals.select(ours, List.of(theirs)).orElseThrow();
        assertThat(Proposals.describe(chosen)).isEqualTo("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_ecp384");
        IkeSuite suite = Proposals.ikeSuite(chosen);
        assertThat(suite.additionalKeyExchanges()).containsExactly(KeyExchangeMethod.ML_KEM_768, KeyExchangeMethod.ECP_384);
        assertThat(suite.describe()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768/KE2_ECP_384");
        assertThat(suite.keyExchangeNames()).isEqualTo("CURVE_25519/KE1_ML_KEM_768/KE2_ECP_384");
        assertThat(Proposals.isAnswerTo(chosen, List.of(theirs))).isTrue();
    }

    @Test
    void aConfigRequiringMlKemRefusesAPeerThatOffersNone() {
        List<Proposal> ours = ike("aes256gcm16-prfsha384-x25519-ke1_mlkem768");
        assertThat(Proposals.select(ours, ike("aes256gcm16-prfsha384-x25519", "aes256gcm16-prfsha384-x25519-ke1_ecp384")))
                .isEmpty();
        assertThat(Proposals.select(ike("aes256gcm16-prfsha384-x25519"), ours)).isEmpty();
    }

    @Test
    void aPeerOfferingNoneForAnAdditionalTypeMatchesAConfigWithoutIt() {
        Proposal optional = withTransform(peer("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), new Transform(6, 0, List.of()));
        assertThat(Proposals.describe(optional)).isEqualTo("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke1_none");
        Proposal plain = Proposals.select(ike("aes256gcm16-prfsha384-x25519"), List.of(optional)).orElseThrow();
        assertThat(Proposals.describe(plain)).isEqualTo("aes256gcm16-prfsha384-x25519");
        assertThat(Proposals.ikeSuite(plain).additionalKeyExchanges()).isEmpty();
        assertThat(Proposals.ikeSuite(plain).keyExchangeNames()).isEqualTo("CURVE_25519");
        Proposal hybrid = Proposals.select(ike("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), List.of(optional))
                .orElseThrow();
        assertThat(Proposals.ikeSuite(hybrid).additionalKeyExchanges()).containsExactly(KeyExchangeMethod.ML_KEM_768);
    }

    @Test
    void anAnswerMustNotAddOrDropAdditionalKeyExchanges() {
        List<Proposal> offered = ike("aes256gcm16-prfsha384-x25519-ke1_mlkem768");
        assertThat(Proposals.isAnswerTo(peer("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), offered)).isTrue();
        assertThat(Proposals.isAnswerTo(peer("aes256gcm16-prfsha384-x25519"), offered)).isFalse();
        assertThat(Proposals.isAnswerTo(peer("aes256gcm16-prfsha384-x25519-ke1_mlkem1024"), offered)).isFalse();
        assertThat(Proposals.isAnswerTo(peer("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_mlkem1024"), offered))
                .isFalse();
        assertThat(Proposals.isAnswerTo(peer("aes256gcm16-prfsha384-x25519-ke1_mlkem768"),
                ike("aes256gcm16-prfsha384-x25519"))).isFalse();
    }

    @Test
    void espProposalsCarryAdditionalKeyExchangesOnlyWithPfs() {
        io.ipsecd.conf.Proposal esp = io.ipsecd.conf.Proposal.parseEsp("aes256gcm16-x25519-ke1_mlkem768");
        Proposal withPfs = Proposals.esp(List.of(esp), 0x01020304, true).getFirst();
        assertThat(Proposals.describe(withPfs)).isEqualTo("aes256gcm16-x25519-ke1_mlkem768");
        Proposal inIkeAuth = Proposals.esp(List.of(esp), 0x01020304, false).getFirst();
        assertThat(Proposals.describe(inIkeAuth)).isEqualTo("aes256gcm16");
        assertThat(Proposals.describe(Proposals.withoutKe(withPfs))).isEqualTo("aes256gcm16");
    }

    @Test
    void aMismatchMessageShowsBothSidesAdditionalKeyExchanges() {
        String theirs = Proposals.describe(ike("aes256gcm16-prfsha384-x25519"));
        String ours = Proposals.describeConfigured(List.of(io.ipsecd.conf.Proposal.parseIke(
                "aes256gcm16-prfsha384-x25519-ke1_mlkem768")));
        assertThat(theirs).isEqualTo("[aes256gcm16-prfsha384-x25519]");
        assertThat(ours).isEqualTo("[aes256gcm16-prfsha384-x25519-ke1_mlkem768]");
    }

    private static Proposal withTransform(Proposal p, Transform extra) {
        List<Transform> t = new ArrayList<>(p.transforms());
        t.add(extra);
        return new Proposal(p.number(), ProtocolId.IKE.value(), Bytes.EMPTY, t);
    }
}
