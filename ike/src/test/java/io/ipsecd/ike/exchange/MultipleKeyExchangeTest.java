package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.crypto.SkCipher;
import io.ipsecd.ike.crypto.SkCodec;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.message.Transform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * RFC 9370 additional key exchanges in IKE_INTERMEDIATE (RFC 9242) between two negotiators: the
 * hybrid tunnels come up (so both sides derived the same keys after each exchange and the AUTH
 * covering IntAuth matched), the wire shows one IKE_INTERMEDIATE per additional key exchange, and
 * peers that cannot agree or that send bad key exchange data are refused with a message.
 */
class MultipleKeyExchangeTest {
    private final ScriptedLab lab = new ScriptedLab();

    /** Connection "s2s" of one side (corp initiates, cloud only responds) with these IKE proposals. */
    private static Connection side(boolean corp, String... ikeProposals) {
        String yaml = """
                connections:
                  s2s:
                    local: { address: %s, id: %s }
                    remote: { address: "%s", id: %s }
                    psk: { env: PSK }
                    ike: { proposals: [%s] }
                    children:
                      net: { local_ts: [%s], remote_ts: [%s], esp_proposals: [aes256gcm16] }
                """.formatted(corp ? ScriptedLab.CORP : ScriptedLab.CLOUD, corp ? "corp" : "cloud",
                corp ? ScriptedLab.CLOUD : "%any", corp ? "cloud" : "corp", String.join(", ", ikeProposals),
                corp ? "10.1.0.0/24" : "10.2.0.0/24", corp ? "10.2.0.0/24" : "10.1.0.0/24");
        LoadResult r = ConfigLoader.parse(yaml, "lab.yaml", Path.of("/"), n -> n.equals("PSK") ? ScriptedLab.PSK : null);
        if (!(r instanceof LoadResult.Valid valid)) {
            throw new AssertionError("lab config invalid: " + r + "\n" + yaml);
        }
        return valid.config().connections().get("s2s");
    }

    private void connect(List<String> corpProposals, List<String> cloudProposals) {
        Connection corpConn = side(true, corpProposals.toArray(String[]::new));
        lab.corp.connections(List.of(corpConn));
        lab.cloud.connections(List.of(side(false, cloudProposals.toArray(String[]::new))));
        lab.corp.initiate(corpConn, List.of("net"));
        lab.run(Duration.ofSeconds(2));
    }

    /** Comes up with the same proposal on both sides; returns what list-sas shows for the key exchanges. */
    private String hybrid(String proposal) {
        connect(List.of(proposal), List.of(proposal));
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).as(lab.wire.toString()).isTrue();
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();
        String ke = ScriptedLab.only(lab.corp).keyExchange();
        assertThat(ScriptedLab.only(lab.cloud).keyExchange()).isEqualTo(ke);
        return ke;
    }

    private List<String> exchanges() {
        return lab.wire.stream().map(w -> w.split(" ", 3)[2]).toList();
    }

    @Test
    void x25519PlusMlKem768RunsOneIntermediateExchangeBeforeIkeAuth() {
        assertThat(hybrid("aes256gcm16-prfsha384-x25519-ke1_mlkem768")).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
        assertThat(exchanges()).containsExactly("IKE_SA_INIT request 0", "IKE_SA_INIT response 0",
                "IKE_INTERMEDIATE request 1", "IKE_INTERMEDIATE response 1", "IKE_AUTH request 2", "IKE_AUTH response 2");
        IkeSa sa = lab.corp.sas("s2s").getFirst();
        assertThat(sa.suite.keyExchangeNames()).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
        assertThat(lab.events("corp", "ike-established").getFirst())
                .endsWith("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768");
    }

    @Test
    void ecp384PlusMlKem1024() {
        assertThat(hybrid("aes256gcm16-prfsha512-ecp384-ke1_mlkem1024")).isEqualTo("ECP_384/KE1_ML_KEM_1024");
    }

    @Test
    void aClassicalAdditionalKeyExchange() {
        assertThat(hybrid("aes256gcm16-prfsha384-x25519-ke1_ecp384")).isEqualTo("CURVE_25519/KE1_ECP_384");
    }

    @Test
    void twoAdditionalKeyExchangesRunInOrderEachInItsOwnExchange() {
        assertThat(hybrid("aes256-sha256-prfsha256-x25519-ke1_mlkem768-ke2_mlkem1024"))
                .isEqualTo("CURVE_25519/KE1_ML_KEM_768/KE2_ML_KEM_1024");
        assertThat(exchanges()).containsSubsequence("IKE_INTERMEDIATE request 1", "IKE_INTERMEDIATE response 1",
                "IKE_INTERMEDIATE request 2", "IKE_INTERMEDIATE response 2", "IKE_AUTH request 3", "IKE_AUTH response 3");
        // The ML-KEM-1024 share goes as IKE fragments, reassembled with the keys of the first exchange.
        assertThat(lab.sent(ScriptedLab.CORP, "IKE_INTERMEDIATE request 2")).hasSizeGreaterThan(1);
    }

    @Test
    void theResponderPicksItsPreferredAdditionalKeyExchange() {
        connect(List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem1024-ke1_mlkem768"),
                List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke1_mlkem1024"));
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.only(lab.corp).keyExchange()).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
    }

    @Test
    void aResponderWithoutAdditionalKeyExchangesPicksThePlainAlternative() {
        connect(List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768", "aes256gcm16-prfsha384-x25519"),
                List.of("aes256gcm16-prfsha384-x25519"));
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.only(lab.corp).keyExchange()).isEqualTo("CURVE_25519");
        assertThat(exchanges()).doesNotContain("IKE_INTERMEDIATE request 1");
    }

    @Test
    void aPeerOfferingNoMlKemIsRefusedWhenTheConfigRequiresIt() {
        connect(List.of("aes256gcm16-prfsha384-x25519"), List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"));
        assertThat(lab.corp.snapshot()).isEmpty();
        assertThat(lab.failures).contains("cloud: proposal mismatch: peer 192.0.2.1 offered [aes256gcm16-prfsha384-x25519], "
                + "we accept [aes256gcm16-prfsha384-x25519-ke1_mlkem768]");
        assertThat(lab.failures).anyMatch(f -> f.startsWith("corp: proposal mismatch: peer 192.0.2.2 accepts none")
                && f.contains("NO_PROPOSAL_CHOSEN"));
    }

    @Test
    void aCorruptedIntermediateResponseIsDroppedAndTheRetransmissionCompletes() {
        lab.hold = d -> d.is(ExchangeType.IKE_INTERMEDIATE, true);
        connect(List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"));
        ScriptedLab.Datagram response = lab.held().getFirst();
        lab.lose(d -> true);
        lab.hold = d -> false;
        byte[] corrupted = response.bytes().clone();
        corrupted[corrupted.length - 100] ^= 0x40;
        lab.corp.receive(response.dst(), response.src(), corrupted);
        assertThat(ScriptedLab.up(lab.corp)).isFalse();
        lab.run(Duration.ofSeconds(5));
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).as(lab.wire.toString()).isTrue();
        assertThat(lab.sent(ScriptedLab.CORP, "IKE_INTERMEDIATE request 1")).hasSizeGreaterThan(1);
    }

    /** A response sealed with the right keys but carrying what a broken or hostile responder would send. */
    private void forgedResponse(List<Payload> inner) {
        lab.hold = d -> d.is(ExchangeType.IKE_INTERMEDIATE, true);
        connect(List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"));
        ScriptedLab.Datagram genuine = lab.held().getFirst();
        lab.lose(d -> true);
        IkeSa initiator = lab.corp.sas("s2s").getFirst();
        SkCipher responderOut = SkCipher.create(initiator.suite.cipher(), initiator.keys.responder(),
                RandomSource.deterministic(7));
        IkeHeader h = decodeHeader(genuine.bytes());
        lab.corp.receive(genuine.dst(), genuine.src(), SkCodec.seal(h, inner, responderOut));
        lab.loop.runReady();
    }

    private static IkeHeader decodeHeader(byte[] datagram) {
        try {
            return IkeMessageCodec.decodeHeader(datagram);
        } catch (IkeDecodeException e) {
            throw new AssertionError(e);
        }
    }

    /** Corp's IKE_SA_INIT answered by a responder that rewrites its own response with {@code edit}. */
    private void initResponse(List<String> corpProposals, List<String> cloudProposals,
                              UnaryOperator<List<Payload>> edit) {
        lab.hold = d -> d.is(ExchangeType.IKE_SA_INIT, true);
        connect(corpProposals, cloudProposals);
        ScriptedLab.Datagram genuine = lab.held().getFirst();
        lab.lose(d -> true);
        try {
            IkeMessage m = IkeMessageCodec.decode(genuine.bytes());
            byte[] forged = IkeMessageCodec.encode(new IkeMessage(m.header(), edit.apply(m.payloads())));
            lab.corp.receive(genuine.dst(), genuine.src(), forged);
        } catch (IkeDecodeException e) {
            throw new AssertionError(e);
        }
        lab.loop.runReady();
    }

    @Test
    void aResponderChoosingAnAdditionalKeyExchangeWeDidNotOfferIsRefused() {
        String plain = "aes256gcm16-prfsha384-x25519";
        initResponse(List.of(plain), List.of(plain), payloads -> payloads.stream().map(p -> p instanceof SaPayload sa
                ? new SaPayload(List.of(withAddKe1(sa.proposals().getFirst()))) : p).toList());
        assertThat(lab.failures).containsExactly("corp: proposal mismatch: peer 192.0.2.2 chose "
                + "aes256gcm16-prfsha384-x25519-ke1_mlkem768, which we did not offer [aes256gcm16-prfsha384-x25519]");
        assertThat(lab.corp.snapshot()).isEmpty();
    }

    private static Proposal withAddKe1(Proposal p) {
        List<Transform> t = new ArrayList<>(p.transforms());
        t.add(new Transform(6, 36, List.of()));
        return new Proposal(p.number(), p.protocolId(), p.spi(), t);
    }

    @Test
    void aResponderChoosingAdditionalKeyExchangesWithoutIkeIntermediateIsRefused() {
        String hybrid = "aes256gcm16-prfsha384-x25519-ke1_mlkem768";
        initResponse(List.of(hybrid), List.of(hybrid), payloads -> payloads.stream().filter(p -> !(p instanceof NotifyPayload n
                && n.notifyType() == NotifyType.INTERMEDIATE_EXCHANGE_SUPPORTED.value())).toList());
        assertThat(lab.failures).containsExactly("corp: peer 192.0.2.2 chose " + hybrid + " but did not announce "
                + "IKE_INTERMEDIATE support (RFC 9242), which additional key exchanges need");
    }

    @Test
    void anInvalidMlKemCiphertextIsRefused() {
        forgedResponse(List.of(new KePayload(36, Bytes.of(new byte[1000]))));
        assertThat(lab.failures).singleElement().asString()
                .startsWith("corp: peer 192.0.2.2 sent an invalid ML_KEM_768 value in additional key exchange 1");
        assertThat(lab.corp.snapshot()).isEmpty();
    }

    @Test
    void aResponseWithAnotherKeyExchangeMethodIsRefused() {
        forgedResponse(List.of(new KePayload(31, Bytes.of(new byte[32]))));
        assertThat(lab.failures).containsExactly("corp: peer 192.0.2.2 answered additional key exchange 1 (ML_KEM_768) in "
                + "IKE_INTERMEDIATE with key exchange method 31; check that it runs an RFC 9370 implementation");
    }

    @Test
    void anIkeAuthThatSkipsTheAdditionalKeyExchangeIsRefused() {
        lab.hold = d -> d.is(ExchangeType.IKE_INTERMEDIATE, false);
        connect(List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"));
        ScriptedLab.Datagram intermediate = lab.held().getFirst();
        lab.lose(d -> true);
        IkeSa responder = lab.cloud.sas("s2s").getFirst();
        SkCipher initiatorOut = SkCipher.create(responder.suite.cipher(), responder.keys.initiator(),
                RandomSource.deterministic(7));
        IkeHeader h = decodeHeader(intermediate.bytes());
        IkeHeader auth = new IkeHeader(h.initiatorSpi(), h.responderSpi(), ExchangeType.IKE_AUTH, true, false,
                h.messageId());
        lab.cloud.receive(intermediate.dst(), intermediate.src(), SkCodec.seal(auth,
                List.of(Identities.payload(true, responder.conn.remote().id())), initiatorOut));
        lab.loop.runReady();
        assertThat(lab.failures).containsExactly("cloud: peer 192.0.2.1 sent IKE_AUTH before additional key exchange 1 "
                + "(ML_KEM_768) that it negotiated; refused");
        assertThat(lab.cloud.snapshot()).isEmpty();
    }

    @Test
    void aRequestWithAnotherKeyExchangeMethodGetsInvalidSyntax() {
        lab.hold = d -> d.is(ExchangeType.IKE_INTERMEDIATE, false);
        connect(List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"), List.of("aes256gcm16-prfsha384-x25519-ke1_mlkem768"));
        ScriptedLab.Datagram genuine = lab.held().getFirst();
        lab.lose(d -> true);
        lab.hold = d -> false;
        IkeSa responder = lab.cloud.sas("s2s").getFirst();
        SkCipher initiatorOut = SkCipher.create(responder.suite.cipher(), responder.keys.initiator(),
                RandomSource.deterministic(7));
        lab.cloud.receive(genuine.dst(), genuine.src(), SkCodec.seal(decodeHeader(genuine.bytes()),
                List.of(new KePayload(37, Bytes.of(new byte[1568]))), initiatorOut));
        lab.loop.runReady();
        assertThat(lab.failures).contains("cloud: peer 192.0.2.1 sent key exchange method 37 in IKE_INTERMEDIATE for "
                + "additional key exchange 1, negotiated ML_KEM_768; check that it runs an RFC 9370 implementation");
        assertThat(lab.failures).contains("corp: peer 192.0.2.2 refused additional key exchange 1 (ML_KEM_768) in "
                + "IKE_INTERMEDIATE with INVALID_SYNTAX");
        assertThat(lab.corp.snapshot()).isEmpty();
        assertThat(lab.cloud.snapshot()).isEmpty();
    }
}
