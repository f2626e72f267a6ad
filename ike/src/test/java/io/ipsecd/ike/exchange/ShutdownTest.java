package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A graceful shutdown tells every peer at once, so none waits for dead peer detection. */
class ShutdownTest {
    @Test
    void shutdownDeletesEveryIkeSaAndThePeerTearsDownAtOnce() {
        ScriptedLab lab = new ScriptedLab();
        lab.corp.connections(List.of(ScriptedLab.connection(CORP, CLOUD, "{ delay: 30s, timeout: 45s }", "none",
                ScriptedLab.PSK)));
        lab.cloud.connections(List.of(ScriptedLab.connection(CLOUD, CORP, "{ delay: 30s, timeout: 45s }", "none",
                ScriptedLab.PSK)));
        lab.corp.initiate(lab.corp.connections.get("s2s"), List.of());
        lab.run(Duration.ofSeconds(1));
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();

        lab.corp.shutdown();
        lab.run(Duration.ofMillis(10));

        assertThat(lab.sent(CORP, "INFORMATIONAL request")).hasSize(1);
        assertThat(lab.corp.snapshot()).isEmpty();
        assertThat(lab.cloud.snapshot()).as("the peer acts on the DELETE, long before dpd.delay").isEmpty();
        assertThat(lab.cloudPort.sas).isEmpty();
        assertThat(lab.events("cloud", "ike-deleted")).singleElement().asString().contains("deleted by peer");
        assertThat(lab.events("corp", "ike-deleted")).singleElement().asString().contains("shutdown");
    }
}
