package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.LoopbackGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.Proposal;
import io.ipsecd.conf.StartAction;
import io.ipsecd.conf.TrafficSelectorSpec;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.ike.port.SaId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Additional children over CREATE_CHILD_SA, with and without PFS, and their deletion. */
class ChildSaExchangeTest {
    private static final Duration UP = Duration.ofSeconds(10);

    private static Child child(String name, String local, String remote, String esp) {
        return new Child(name, List.of(TrafficSelectorSpec.parse(local)), List.of(TrafficSelectorSpec.parse(remote)),
                List.of(Proposal.parseEsp(esp)), StartAction.NONE, Duration.ofHours(1));
    }

    private static Connection withChildren(Connection c, Child... children) {
        Map<String, Child> m = new LinkedHashMap<>(c.children());
        for (Child x : children) {
            m.put(x.name(), x);
        }
        return new Connection(c.name(), c.local(), c.remote(), c.psk(), c.ike(), m);
    }

    @Test
    void secondAndThirdChildComeUpWithAndWithoutPfsAndGoAwayOneByOne() throws Exception {
        int[] ports = LoopbackGateway.freePorts();
        try (LoopbackGateway corp = new LoopbackGateway("127.0.0.1", ports, 11);
             LoopbackGateway cloud = new LoopbackGateway("127.0.0.2", ports, 12)) {
            Connection corpConn = withChildren(LoopbackGateway.connection("127.0.0.1", "corp", "127.0.0.2", "cloud",
                    ports[0], "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.1.0.0/24",
                    "10.2.0.0/24"), child("pfs", "10.1.1.0/24", "10.2.1.0/24", "aes128gcm16-ecp256"),
                    child("nopfs", "10.1.2.0/24", "10.2.2.0/24", "aes256-sha256"));
            Connection cloudConn = withChildren(LoopbackGateway.connection("127.0.0.2", "cloud", "127.0.0.1", "corp",
                    ports[0], "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.2.0.0/24",
                    "10.1.0.0/24"), child("pfs", "10.2.1.0/24", "10.1.1.0/24", "aes128gcm16-ecp256"),
                    child("nopfs", "10.2.2.0/24", "10.1.2.0/24", "aes256-sha256"));
            corp.run(n -> n.connections(List.of(corpConn)));
            cloud.run(n -> n.connections(List.of(cloudConn)));

            corp.run(n -> n.initiate(corpConn, List.of("net")));
            assertThat(await(() -> corp.up() && cloud.up(), UP)).isTrue();
            corp.run(n -> n.initiate(corpConn, List.of()));
            assertThat(await(() -> children(corp) == 3 && children(cloud) == 3, UP)).as("three children").isTrue();

            IkeSaInfo.ChildSaInfo pfs = child(corp, "pfs");
            IkeSaInfo.ChildSaInfo nopfs = child(corp, "nopfs");
            assertThat(pfs.keyExchange()).isEqualTo("ECP_256");
            assertThat(pfs.encryption()).isEqualTo("AES_GCM_16-128");
            assertThat(nopfs.keyExchange()).isEmpty();
            assertThat(nopfs.integrity()).isEqualTo("HMAC_SHA2_256_128");
            for (IkeSaInfo.ChildSaInfo c : List.of(pfs, nopfs)) {
                assertThat(corp.port.sas.get(new SaId(c.spiIn(), SaDirection.INBOUND)).esp().keys())
                        .isEqualTo(cloud.port.sas.get(new SaId(c.spiIn(), SaDirection.OUTBOUND)).esp().keys());
                assertThat(corp.port.sas.get(new SaId(c.spiOut(), SaDirection.OUTBOUND)).esp().keys())
                        .isEqualTo(cloud.port.sas.get(new SaId(c.spiOut(), SaDirection.INBOUND)).esp().keys());
            }
            assertThat(child(cloud, "pfs").localTs()).containsExactly("10.2.1.0/24");

            cloud.run(n -> n.terminate("s2s", Optional.of("pfs")));
            assertThat(await(() -> children(corp) == 2 && children(cloud) == 2, UP)).isTrue();
            assertThat(corp.port.sas).doesNotContainKey(new SaId(pfs.spiIn(), SaDirection.INBOUND));
            assertThat(cloud.port.sas).doesNotContainKey(new SaId(pfs.spiOut(), SaDirection.INBOUND));
            corp.run(n -> n.terminate("s2s", Optional.of("nopfs")));
            assertThat(await(() -> children(corp) == 1 && children(cloud) == 1, UP)).isTrue();
            assertThat(corp.port.sas).hasSize(2);
            assertThat(cloud.port.sas).hasSize(2);
            assertThat(corp.failures).isEmpty();
            assertThat(cloud.failures).isEmpty();
        }
    }

    private static int children(LoopbackGateway gw) {
        return gw.sas().stream().mapToInt(s -> s.children().size()).sum();
    }

    private static IkeSaInfo.ChildSaInfo child(LoopbackGateway gw, String name) {
        return gw.sas().getFirst().children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
