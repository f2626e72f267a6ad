package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static io.ipsecd.ike.exchange.ScriptedLab.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.esp.SaDirection;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.port.SaId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RFC 9370 additional key exchanges after a CREATE_CHILD_SA (IKE_FOLLOWUP_KE) between two
 * negotiators on a manual clock: a Child SA rekey with x25519 PFS plus ML-KEM-768 from either side,
 * a new Child SA with two additional key exchanges (two linked follow-ups), an IKE SA rekey with
 * an ML-KEM-768 ADDKE, and a peer that refuses the follow-up.
 */
class FollowupKeTest {
    private static final Optional<String> NET = Optional.of("net");
    private static final String HYBRID_ESP = "aes256gcm16-x25519-ke1_mlkem768";

    private static ScriptedLab lab(String esp, String ike) {
        ScriptedLab w = new ScriptedLab(7);
        w.corp.connections(List.of(ScriptedLab.connection(CORP, CLOUD, "{}", "none", ScriptedLab.PSK, esp, ike)));
        w.cloud.connections(List.of(ScriptedLab.connection(CLOUD, CORP, "{}", "none", ScriptedLab.PSK, esp, ike)));
        w.corp.initiate(w.corp.connections.get("s2s"), List.of());
        w.run(Duration.ofSeconds(1));
        assertThat(ScriptedLab.up(w.corp) && ScriptedLab.up(w.cloud)).as("up: %s %s", w.wire, w.failures).isTrue();
        return w;
    }

    /** One child on each side, SPIs paired, and the data plane's keys of each direction equal on both sides. */
    private static IkeSaInfo.ChildSaInfo agreedChild(ScriptedLab w) {
        IkeSaInfo.ChildSaInfo a = only(w.corp).children().getFirst();
        IkeSaInfo.ChildSaInfo b = only(w.cloud).children().getFirst();
        assertThat(only(w.corp).children()).as("wire " + w.wire).hasSize(1);
        assertThat(only(w.cloud).children()).as("wire " + w.wire).hasSize(1);
        assertThat(a.spiIn()).isEqualTo(b.spiOut());
        assertThat(a.spiOut()).isEqualTo(b.spiIn());
        assertThat(w.corpPort.sas.get(new SaId(a.spiIn(), SaDirection.INBOUND)).esp().keys())
                .isEqualTo(w.cloudPort.sas.get(new SaId(a.spiIn(), SaDirection.OUTBOUND)).esp().keys());
        assertThat(w.corpPort.sas.get(new SaId(a.spiOut(), SaDirection.OUTBOUND)).esp().keys())
                .isEqualTo(w.cloudPort.sas.get(new SaId(a.spiOut(), SaDirection.INBOUND)).esp().keys());
        assertThat(w.corpPort.sas).hasSize(2);
        assertThat(w.cloudPort.sas).hasSize(2);
        return a;
    }

    /** The distinct messages (one per message ID, however many fragments or resends) one side sent. */
    private static List<String> messages(ScriptedLab w, String from, String what) {
        return w.sent(from, what).stream().map(line -> line.split(" ", 2)[1]).distinct().toList();
    }

    @Test
    void childRekeyWithX25519PlusMlKem768PfsFromEitherSide() {
        ScriptedLab w = lab(HYBRID_ESP, "aes256gcm16-prfsha384-x25519");
        IkeSaInfo.ChildSaInfo first = agreedChild(w);
        assertThat(first.keyExchange()).as("IKE_AUTH's child has no key exchange").isEmpty();

        assertThat(w.corp.rekey("s2s", NET)).isTrue();
        w.run(Duration.ofSeconds(3));
        IkeSaInfo.ChildSaInfo second = agreedChild(w);
        assertThat(second.spiIn()).isNotEqualTo(first.spiIn());
        assertThat(second.keyExchange()).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
        assertThat(only(w.cloud).children().getFirst().keyExchange()).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
        assertThat(messages(w, CORP, "IKE_FOLLOWUP_KE request")).hasSize(1);
        assertThat(messages(w, CLOUD, "IKE_FOLLOWUP_KE response")).hasSize(1);

        assertThat(w.cloud.rekey("s2s", NET)).isTrue();
        w.run(Duration.ofSeconds(3));
        IkeSaInfo.ChildSaInfo third = agreedChild(w);
        assertThat(third.spiIn()).isNotIn(first.spiIn(), second.spiIn());
        assertThat(third.keyExchange()).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
        assertThat(messages(w, CLOUD, "IKE_FOLLOWUP_KE request")).hasSize(1);
        assertThat(messages(w, CORP, "IKE_FOLLOWUP_KE response")).hasSize(1);
        assertThat(w.failures).isEmpty();
    }

    @Test
    void newChildWithTwoAdditionalKeyExchangesTakesTwoLinkedFollowups() {
        ScriptedLab w = lab("aes256gcm16-x25519-ke1_mlkem768-ke2_ecp384", "aes256gcm16-prfsha384-x25519");
        w.corp.terminate("s2s", NET);
        w.run(Duration.ofSeconds(1));
        assertThat(only(w.corp).children()).isEmpty();

        w.corp.initiate(w.corp.connections.get("s2s"), List.of("net")); // on the IKE SA: CREATE_CHILD_SA
        w.run(Duration.ofSeconds(3));
        IkeSaInfo.ChildSaInfo made = agreedChild(w);
        assertThat(made.keyExchange()).isEqualTo("CURVE_25519/KE1_ML_KEM_768/KE2_ECP_384");
        assertThat(made.rekeys()).isZero();
        assertThat(messages(w, CORP, "IKE_FOLLOWUP_KE request")).hasSize(2);
        assertThat(messages(w, CLOUD, "IKE_FOLLOWUP_KE response")).hasSize(2);
        assertThat(w.failures).isEmpty();
    }

    @Test
    void ikeRekeyWithAnMlKemAdditionalKeyExchangeKeepsTheChildAndWorksAfterwards() {
        ScriptedLab w = lab("aes256gcm16", "aes256gcm16-prfsha384-x25519-ke1_mlkem768");
        IkeSaInfo before = only(w.corp);
        IkeSaInfo.ChildSaInfo child = agreedChild(w);
        int followupsBefore = messages(w, CORP, "IKE_FOLLOWUP_KE request").size();

        assertThat(w.corp.rekey("s2s", Optional.empty())).isTrue();
        w.run(Duration.ofSeconds(3));
        IkeSaInfo after = only(w.corp);
        assertThat(after.spiInitiator()).isNotEqualTo(before.spiInitiator());
        assertThat(after.spiInitiator()).isEqualTo(only(w.cloud).spiInitiator());
        assertThat(after.spiResponder()).isEqualTo(only(w.cloud).spiResponder());
        assertThat(after.rekeys()).isEqualTo(1);
        assertThat(messages(w, CORP, "IKE_FOLLOWUP_KE request")).hasSize(followupsBefore + 1);
        assertThat(agreedChild(w).spiIn()).as("the child moved to the new IKE SA").isEqualTo(child.spiIn());

        // Both sides derived the same keys from all secrets: an exchange on the new IKE SA works.
        assertThat(w.cloud.rekey("s2s", NET)).isTrue();
        w.run(Duration.ofSeconds(3));
        assertThat(agreedChild(w).spiIn()).isNotEqualTo(child.spiIn());
        assertThat(w.failures).isEmpty();
    }

    @Test
    void aRefusedFollowupDeletesTheHalfMadeChildAndKeepsTheOldOne() {
        ScriptedLab w = lab(HYBRID_ESP, "aes256gcm16-prfsha384-x25519");
        IkeSaInfo.ChildSaInfo old = agreedChild(w);
        // Our IKE_FOLLOWUP_KE requests are held until cloud gave up waiting for them.
        w.hold = d -> d.is(ExchangeType.IKE_FOLLOWUP_KE, false);
        assertThat(w.corp.rekey("s2s", NET)).isTrue();
        w.run(FollowupKe.RESPONDER_WAIT.plusSeconds(1));
        assertThat(w.failures).as("cloud dropped the unfinished rekey").singleElement().asString()
                .startsWith("cloud: net Child SA with " + CORP + " not created: no IKE_FOLLOWUP_KE within 20 s");
        w.hold = d -> false;
        w.release(d -> true);
        w.run(Duration.ofSeconds(2));

        assertThat(w.failures).as("the admin message on our side").contains("corp: net Child SA with " + CLOUD
                + " not created: peer " + CLOUD + " refused ML_KEM_768 (additional key exchange 1 of 1) with "
                + "STATE_NOT_FOUND");
        assertThat(w.sent(CORP, "INFORMATIONAL request")).as("the half-made SA is DELETEd at the peer; wire " + w.wire + w.failures).hasSize(1);
        IkeSaInfo.ChildSaInfo kept = agreedChild(w);
        assertThat(kept.spiIn()).as("the old Child SA stays").isEqualTo(old.spiIn());
        assertThat(kept.state()).isEqualTo("INSTALLED");
        assertThat(only(w.corp).state()).isEqualTo("ESTABLISHED");
    }
}
