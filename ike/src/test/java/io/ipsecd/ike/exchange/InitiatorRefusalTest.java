package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.ike.message.ExchangeType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PSK initiator that refuses the responder's IKE_AUTH answer (here: the responder names itself
 * differently than corp's remote.id) tells it with AUTHENTICATION_FAILED, so the responder, which
 * took the IKE SA as established, drops it with what to check instead of keeping it until DPD.
 */
class InitiatorRefusalTest {

    private static Connection side(String local, String localId, String remote, String remoteId) {
        String yaml = """
                connections:
                  s2s:
                    local: { address: %s, id: %s }
                    remote: { address: "%s", id: %s }
                    psk: { env: PSK }
                    ike: { proposals: [aes256gcm16-prfsha384-x25519] }
                    children:
                      net: { local_ts: [10.1.0.0/24], remote_ts: [10.2.0.0/24] }
                """.formatted(local, localId, remote, remoteId);
        LoadResult r = ConfigLoader.parse(yaml, "lab.yaml", Path.of("/"), n -> n.equals("PSK") ? ScriptedLab.PSK : null);
        assertThat(r).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) r).config().connections().get("s2s");
    }

    @Test
    void aResponderWhoseIdTheInitiatorRefusesHearsItAndDropsItsIkeSa() {
        ScriptedLab lab = new ScriptedLab();
        List<String> informationals = new ArrayList<>();
        lab.hold = d -> {
            if (d.is(ExchangeType.INFORMATIONAL, false)) {
                informationals.add(d.text());
            }
            return false;
        };
        Connection corp = side(CORP, "corp", CLOUD, "cloud-two");
        lab.corp.connections(List.of(corp));
        lab.cloud.connections(List.of(side(CLOUD, "cloud", CORP, "corp")));
        lab.corp.initiate(corp, List.of());
        lab.run(Duration.ofSeconds(1));

        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: authentication failed: peer " + CLOUD
                + " identified as 'cloud', but remote.id is 'cloud-two'"));
        assertThat(informationals).as("AUTHENTICATION_FAILED goes to the responder").isNotEmpty();
        assertThat(lab.cloud.snapshot()).as("the responder dropped the IKE SA it had taken as established").isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: authentication failed: peer " + CORP
                + " (tunnel s2s) refused our IKE_AUTH answer; check that it expects id cloud"));
        assertThat(lab.corp.snapshot()).isEmpty();
    }
}
