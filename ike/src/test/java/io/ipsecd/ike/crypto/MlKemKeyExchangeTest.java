package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ML-KEM (FIPS 203) as an IKEv2 key exchange: NIST ACVP known answers, round trips for every
 * parameter set, and refusal of malformed peer data.
 *
 * <p>Known answers: NIST ACVP-Server ML-KEM FIPS203 vectors, vsId 42, release v1.1.0.40, as vendored
 * in pq-code-package/mlkem-native test/acvp_data/acvp_v1.1.0.40_{keyGen,encapDecap}_{prompt,expectedResults}.json
 * (keyGen tcId 1 and encapDecap tcId 1, both ML-KEM-512).
 */
class MlKemKeyExchangeTest {
    static final HexFormat HEX = HexFormat.of();

    // ACVP keyGen tcId 1 (ML-KEM-512): seeds d, z and the expected encapsulation key ek.
    static final String KEYGEN_D = "BBA3C0F5DF044CDF4D9CAA53CA15FDE26F34EB3541555CFC54CA9C31B964D0C8";
    static final String KEYGEN_Z = "0A64FDD51A8D91B3166C4958A94EFC3166A4F5DF680980B878DB8371B7624C96";
    static final String KEYGEN_EK = ""
            + "1CAB32BE749CA76124EE19907B9CCB7FD30F8B2C38DC970E81F9956C97A8BD3C6E37B07C29E60BB2B75C5258B572626A"
            + "859ABA89DB3AABC571424618B26310278B8EC4E76ED07A10B864AABF37BFC9F364731050631421BFCB1C3B9153D4316A"
            + "95089197A027AB80B39C362CE6D97EFF422244FB81AAF67354F03894CC25B2707939A4A06D302C59D106EB743678DAA3"
            + "F1D1C3F46B03F0DAA0641835A548363180744E6B6235B84DB9A4628279A6EF7231499208E657A3F9BB6E3F782606B79F"
            + "C9A38723576FA80898E8A6887D94C3ED774E46A86CFE705B34C6B5535865329C5A4A820F9114CE9A9C68495C726368B9"
            + "E073CBBE627A7DE419F7F7B4AD221576F91FB1E66CFF9651BD6C25E3CC9CA49A570CF041E457658072B684E714BD6A86"
            + "B3D05C7597A729E12E512C8D7E5B5C27049EFB0AC0E085B1B88347BFD314B4E4AB4B8875A489ADB8C9AE28008BAD36AA"
            + "AD24683563BFAF19BDA8677AB7BAC7E33C3087B84A45246A2AB1AEF397750D386ACDAC63C87506166A0FAE18773F530E"
            + "74545D54BC670DD7353B75B16373CB8A6269AF37097EE1B1640458153132AD80AB64F7A599B8670E301205043C136C56"
            + "CA5A06DBFABA3204671C1B237B18824555B5DDB206A74ACE637005B363238378BDA5E198AD69B85CBB399E8B07CB899F"
            + "9E93CF6CF62FCAFC9E4D77363CA2149E92197F2133223799C182CF5F182ECD35B5FDFCBF0A93A1350198F2F244F3216B"
            + "442A22FDDB2F4F3BB8CBF0168D0220AA725A0E287DF08079A1DBB8747C02F0C2C829759A5D95B6237522E7F71AB56693"
            + "90377E03A93AB7FC7E9FD6BB59C1B9B8CC966141B0BA6796E66829D6A403B1F5816C8557EE8841031B2ED6C6CCFE8A55"
            + "B39B9273F8BA050B1B328C7B9A238A7B8324F16A7A474C0B5721B9C8246531E19208838356F3337768BCB3397B4E01CC"
            + "26175B67A66DFCD11F07B295C20AB484A60E7D086DB39B8301845B654A484462508FA78506357BBBF42DBAC157BCA776"
            + "9C099A0B1894D4A17256F504EBE50BE284656F653845A26B00856D76A8A5A166CD09D04705261EBAFA20687A1068D9B9"
            + "E28326848B67A0A3994D2DBA4B7A8F623B901E17CBEE610847A2903301C58287";

    // ACVP encapDecap tcId 1 (ML-KEM-512, encapsulation AFT): ek and m in, ciphertext c and shared secret k out.
    static final String ENCAP_EK = ""
            + "ADB031A018722F19C25829150A8B94297C9519173A2C908AEBF76F86C9724A0354300C6AB58A90C7B18A2E828B5FD2CD"
            + "EACA9810EC00FD8CBB22AA6AE641B5824055A91B27C1F73518953913FA2037D295F42B7E34AABE90D72A2453B215D886"
            + "EBE28779D76F4830B01A73291B5A7186454A91D665B9E6C04FE808F76AC25E298B97195999F866DBFABD571B59549787"
            + "F5E316A0C65F3E9132089B219E11712D245AF955ACBFA36D37BB2DFD570ECF90941BD369E8023B2FF65F04D5408FA845"
            + "31604A5EACCF3D62221429A1D6B1BE5FEB04EBA0BB698B6B6AE4CF72317D96E99B0A840AB55C275B9979BB231926D714"
            + "0FC9B8C8124B87532E854113532A809C714D492746BEA7C30AA869DD780B77D0BADBBA9D9FE6A09780B1EE7076F5E3CA"
            + "F5F470D004CB53098BFA340248835EC782B34D612C53701259D2583360935D8B5F25051BF196214D1CC6B33A8A47F41A"
            + "65B5A143DB3651885214307B0D938F9D253672A4587EBC6D9743A3AFB35A3098149B27C3EA0BAAC5942D9A92856EB044"
            + "7D1709ED70A673AA1FEBA5398A821FA21B215FD78866C29B1E75C50815CC3F093B7CA70717A10CCF8C1880072230163"
            + "008AA675A17759937CA672A56BBA772C527A5F9F12D53267419559A7A1A0A3003B64D34ABC8F4294210B140F517BEE86"
            + "F393BB577E6A41EB64A4EF633C8BA941314528B67A24F4829E99C96BF92022307A763A9086F7C597340C8FBBB0689DC1"
            + "D28800BAD710422A9334A406B203101A6C97A3D00AC6C095735E22CBC60B3A0760C8B0268FB5BB3D7D0543BAB599FD32"
            + "6608264EA477EE8F8C178898FE7387F15A6B40B13B069D3B574967F8487309495420F20B23456CF6D010AB19CABA9B27"
            + "CAE79B09D7084D1863359B40F205556456AAD5F92A5A36B49B737866901CF6FB47B59A9C5783C2C5FD95087DA417F741"
            + "0708290B619B701852B051272AE0428263C28CB025E1C1103B2718A0DDA5FC30394600879AF509B62C57B88A018FEDB0"
            + "9642872591582ABB4AC1408A5750902589406E2479D3BC5AD8016610D7BA18D984EBD951393FC2B83446D474AC8E2A63"
            + "4F66F181976B8C14F6078DE84113D8E728FAC101A23C86300D795CAE9875436CC";
    static final String ENCAP_M = "E8D6BAC09B25469BEE582A7DEE9BD21890CD3F0AF4D7E19E30B3E24E657C149C";
    static final String ENCAP_C = ""
            + "3244E86669E69F0F238E3CD7F03EF31C4D3CF48CEF726955F06EB5099367310D5D9FC70D48A573458837319BD1691D1A"
            + "699A68F7A9A8DB73D03620E9E4BC4B088E5E9C5E3638EB3354F6EF3C5E7AE5D57D0571F078E174CFBD6EAE2FD76DC2BE"
            + "D5A907EBA531E89B1BA8D2A8EBE7B4CA0DE96BFF28D278A70549AA0635BE50096F297F7BEF92C6AE9C11C4204CFF07E0"
            + "598F14495AEFBD207B760DAD34FC0AD8F4000A1911F89FA3B59410C8151B9A8914AA71269EB7E2C329586D3C08F3F109"
            + "39A497717CCFA3EC5082D46750905CEB703106C2D3E5CD71F138704A20898B5F80F5FDA03C08F8894C2874DE32DFF5C2"
            + "7EA0437A44663C0D6F6B85332AD0F5A0E48D1638BBD281797AF1ADED5C5F1EB87D4723E17BCA439EC469489A371A402E"
            + "EEAADF1A1BD7C7DA409E9A6414E744167DF13AA1ED9EBDB354BC0DD04190DBA3EC48E5D1DB61C54FE881F8A1DA32EB51"
            + "2F2423EA7F9015DC8C2C3D5B5FEA438A88E6C877A6F4ED17FAB8918E53887996D23956502ED9D3D07BBE8EC899AF5581"
            + "3D39CCF6C2700AC8805517317338655A221268E654839C49D83344A1DE0E75FDD63549B7D57258601C1C74B0FDEF80CA"
            + "B109C54393A7669E4BDB5CDD3BC21731C1E467784DC6A165194487A94FDAA9C177A0BD4AB009B7D7BBD9EEBDA386492F"
            + "7903CA7C4345A41271D8B6816B1AC0841B8DB7E2D518B3A2B70386CB5BA159A11FC50420F94C001E1F8F0268A2E0A4A1"
            + "2485C08D0BB696CAC92C8866DE78F18BA7C0E5C4C2F450EAB9E2B126DBA80EF70FFB611A010EC3AA9FBCFB2058C2491B"
            + "331E63AE27321C0098B49C9F7BD409C70DA376A338317217AF310788772E2A95D1BCC29355B486E3B1FA11753C7D3980"
            + "2D183AAE86C3CAD2EB4E70B3C679E47F01D7FDA48B629E5B8AF315847D20BE7A64EA4A16AB9B237F00A9DC659E017352"
            + "90902F243E866129F120CF3EC01CD668A9827AB419B7F9994A305782C6CB82801C4DA0B9032034B890A761182E4108EF"
            + "016AE48AE32ED05544EFC7AADC9D219B4E2F7E892EE58130B7413AD2CD6B5E04CEB2593E06165E37BC8BE981EEE1C638";
    static final String ENCAP_K = "6C832560DFE97BECADFBB340EE31AE868A73120806EED02839518E5627D32968";

    /**
     * Hands out fixed byte strings, one per {@code nextBytes} call, in order, and fails on a length
     * mismatch. {@link MlKemKeyExchange} reads exactly one 64-byte seed d || z when it first needs its
     * key pair (Bouncy Castle takes that seed directly; FIPS 203 KeyGen_internal(d, z)) and one
     * 32-byte m per encapsulation (passed to Bouncy Castle's Encaps_internal(ek, m)), so queueing the
     * ACVP inputs makes the public API reproduce the ACVP outputs. Keeps the arrays it filled, so a
     * test can check they were wiped.
     */
    static final class QueuedRandom implements RandomSource {
        private final Deque<byte[]> queue = new ArrayDeque<>();
        final List<byte[]> handedOut = new ArrayList<>();

        QueuedRandom(String... hex) {
            for (String h : hex) {
                queue.add(HEX.parseHex(h));
            }
        }

        @Override
        public void nextBytes(byte[] out) {
            byte[] next = queue.poll();
            if (next == null || next.length != out.length) {
                throw new AssertionError("unexpected random read of " + out.length + " bytes");
            }
            System.arraycopy(next, 0, out, 0, out.length);
            handedOut.add(out);
        }
    }

    @Test
    void acvpKeyGenKnownAnswer() {
        KeyExchange initiator = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, new QueuedRandom(KEYGEN_D + KEYGEN_Z));
        assertThat(initiator.initiatorShare().toHex()).isEqualToIgnoringCase(KEYGEN_EK);
        KeyExchange fromSeed = KeyExchanges.withPrivateKey(KeyExchangeMethod.ML_KEM_512,
                HEX.parseHex(KEYGEN_D + KEYGEN_Z), KeyExchanges.WeakGroups.REFUSE);
        assertThat(fromSeed.initiatorShare().toHex()).isEqualToIgnoringCase(KEYGEN_EK);
    }

    @Test
    void acvpEncapsulationKnownAnswer() throws Exception {
        KeyExchange responder = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, new QueuedRandom(ENCAP_M));
        KeyExchange.Response response = responder.respond(Bytes.fromHex(ENCAP_EK));
        assertThat(response.responderShare().toHex()).isEqualToIgnoringCase(ENCAP_C);
        assertThat(HEX.formatHex(response.sharedSecret().copy())).isEqualToIgnoringCase(ENCAP_K);
    }

    @Test
    void knownAnswerKeyDecapsulatesWhatItsPeerEncapsulated() throws Exception {
        KeyExchange initiator = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, new QueuedRandom(KEYGEN_D + KEYGEN_Z));
        KeyExchange responder = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, new QueuedRandom(ENCAP_M));
        KeyExchange.Response response = responder.respond(initiator.initiatorShare());
        byte[] secret = initiator.complete(response.responderShare()).copy();
        assertThat(secret).hasSize(32).isEqualTo(response.sharedSecret().copy());
    }

    @ParameterizedTest(name = "{0}: KE data {1} and {2} bytes")
    @CsvSource({"ML_KEM_512, 800, 768", "ML_KEM_768, 1184, 1088", "ML_KEM_1024, 1568, 1568"})
    void roundTrip(KeyExchangeMethod method, int encapsulationKeyBytes, int ciphertextBytes) throws Exception {
        assertThat(KeyExchanges.isSupported(method)).isTrue();
        KeyExchange initiator = KeyExchanges.create(method, RandomSource.deterministic(1));
        KeyExchange responder = KeyExchanges.create(method, RandomSource.deterministic(2));
        Bytes share = initiator.initiatorShare();
        assertThat(share.length()).isEqualTo(encapsulationKeyBytes).isEqualTo(method.initiatorShareBytes());
        KeyExchange.Response response = responder.respond(share);
        assertThat(response.responderShare().length()).isEqualTo(ciphertextBytes);
        SecretBytes mine = initiator.complete(response.responderShare());
        assertThat(mine.length()).isEqualTo(32);
        assertThat(mine.contentEquals(response.sharedSecret().copy())).isTrue();
        // A second encapsulation to the same key yields a fresh secret.
        KeyExchange.Response again = KeyExchanges.create(method, RandomSource.deterministic(3)).respond(share);
        assertThat(again.sharedSecret().copy()).isNotEqualTo(response.sharedSecret().copy());
    }

    @ParameterizedTest
    @EnumSource(value = KeyExchangeMethod.class, names = {"ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"})
    void wrongLengthEncapsulationKeyIsRefused(KeyExchangeMethod method) {
        int expected = method.initiatorShareBytes();
        KeyExchange responder = KeyExchanges.create(method, RandomSource.deterministic(4));
        for (int length : new int[] {0, 32, expected - 1, expected + 1}) {
            assertThatThrownBy(() -> responder.respond(Bytes.of(new byte[length])))
                    .isInstanceOf(InvalidKeyExchangeException.class)
                    .hasMessageStartingWith(method + " encapsulation key is " + length + " bytes, must be " + expected);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyExchangeMethod.class, names = {"ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"})
    void encapsulationKeyFailingTheModulusCheckIsRefused(KeyExchangeMethod method) throws Exception {
        byte[] ek = KeyExchanges.create(method, RandomSource.deterministic(5)).initiatorShare().toArray();
        // Set the second 12-bit coefficient of the last polynomial to 0xFFF = 4095 >= q.
        int at = ek.length - 32 - 3;
        ek[at + 1] |= (byte) 0xF0;
        ek[at + 2] = (byte) 0xFF;
        KeyExchange responder = KeyExchanges.create(method, RandomSource.deterministic(6));
        assertThatThrownBy(() -> responder.respond(Bytes.of(ek)))
                .isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessageContaining(method + " encapsulation key fails the FIPS 203 §7.2 modulus check")
                .hasMessageContaining("coefficient 4095 at byte " + at);
        // q itself is already out of range: the check is "below q", not "at most q".
        byte[] atQ = new byte[ek.length];
        atQ[0] = (byte) (3329 & 0xff);
        atQ[1] = (byte) (3329 >>> 8);
        assertThatThrownBy(() -> responder.respond(Bytes.of(atQ)))
                .isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessageContaining("coefficient 3329 at byte 0");
    }

    @ParameterizedTest
    @EnumSource(value = KeyExchangeMethod.class, names = {"ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"})
    void wrongLengthCiphertextIsRefused(KeyExchangeMethod method) throws Exception {
        KeyExchange initiator = KeyExchanges.create(method, RandomSource.deterministic(7));
        KeyExchange.Response response = KeyExchanges.create(method, RandomSource.deterministic(8))
                .respond(initiator.initiatorShare());
        int expected = response.responderShare().length();
        for (int length : new int[] {0, expected - 1, expected + 1}) {
            assertThatThrownBy(() -> initiator.complete(Bytes.of(new byte[length])))
                    .isInstanceOf(InvalidKeyExchangeException.class)
                    .hasMessageStartingWith(method + " ciphertext is " + length + " bytes, must be " + expected);
        }
    }

    @Test
    void tamperedCiphertextYieldsAnUnsharedSecret() throws Exception {
        // FIPS 203 implicit rejection: no error, but a secret the responder doesn't have.
        KeyExchange initiator = KeyExchanges.create(KeyExchangeMethod.ML_KEM_768, RandomSource.deterministic(9));
        KeyExchange.Response response = KeyExchanges.create(KeyExchangeMethod.ML_KEM_768, RandomSource.deterministic(10))
                .respond(initiator.initiatorShare());
        byte[] tampered = response.responderShare().toArray();
        tampered[100] ^= 1;
        byte[] secret = initiator.complete(Bytes.of(tampered)).copy();
        assertThat(secret).hasSize(32).isNotEqualTo(response.sharedSecret().copy());
    }

    @Test
    void destroyWipesTheSeedAndRefusesFurtherUse() throws Exception {
        QueuedRandom random = new QueuedRandom(KEYGEN_D + KEYGEN_Z);
        KeyExchange initiator = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, random);
        Bytes share = initiator.initiatorShare();
        KeyExchange.Response response = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, RandomSource.deterministic(11))
                .respond(share);
        byte[] seed = random.handedOut.getFirst();
        assertThat(seed).isEqualTo(HEX.parseHex(KEYGEN_D + KEYGEN_Z));
        initiator.destroy();
        assertThat(initiator.isDestroyed()).isTrue();
        assertThat(seed).containsOnly((byte) 0);
        assertThatThrownBy(() -> initiator.complete(response.responderShare())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(initiator::initiatorShare).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aResponderNeverGeneratesAKeyPair() throws Exception {
        // Only m is queued: a key generation would ask for 64 more bytes and fail the test.
        KeyExchange responder = KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, new QueuedRandom(ENCAP_M));
        responder.respond(Bytes.fromHex(ENCAP_EK));
        responder.destroy();
        assertThatThrownBy(() -> KeyExchanges.create(KeyExchangeMethod.ML_KEM_512, new QueuedRandom())
                .complete(Bytes.of(new byte[768])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before initiatorShare()");
    }
}
