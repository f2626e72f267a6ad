package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Our daemon starts inside a lab namespace, reports its connection down, and stops on SIGTERM. */
@Testbed
class IpsecdDriverTest {

    @Test
    void startsInALabAndReportsTheConnectionDown() {
        Path repo = Ipsecd.repo();
        Assumptions.assumeTrue(Files.isExecutable(repo.resolve("bin/ipsecd")), "bin/ipsecd is not in this tree");
        // bin/ipsecd runs the packaged jar: `mvn verify` builds it before these tests, `mvn test` does not.
        Assumptions.assumeTrue(Files.exists(repo.resolve("cli/target/ipsecd-cli.jar")) || Files.exists(repo.resolve("lib/ipsecd-cli.jar")),
                "ipsecd is not packaged yet (run mvn verify, or mvn -DskipTests package first)");
        try (Lab lab = Topologies.siteToSite()) {
            Site corp = lab.corp();
            Site cloud = lab.cloud();
            Ipsecd d = Ipsecd.start(lab, corp);
            d.load(List.of(new TunnelConfig("corp-cloud", new Endpoint(corp.wanAddress().v4(), "corp"),
                    new Endpoint(cloud.wanAddress().v4(), "cloud"), List.of("aes256gcm16-prfsha384-x25519"),
                    new TunnelConfig.Psk("a-long-random-shared-secret-0123456789"),
                    List.of(new Child("net", List.of(corp.lan().v4(), corp.lan().v6()),
                            List.of(cloud.lan().v4(), cloud.lan().v6()), List.of("aes256gcm16"),
                            TunnelConfig.StartAction.NONE)))));
            assertThat(Netns.pids(corp.gatewayNs())).as("the daemon runs inside the gateway namespace").isNotEmpty();

            JsonNode status = d.status();
            JsonNode result = status.has("result") ? status.get("result") : status;
            JsonNode conn = result.path("connections").get(0);
            assertThat(conn).as("status --json: " + status).isNotNull();
            assertThat(conn.path("name").asText()).isEqualTo("corp-cloud");
            assertThat(conn.path("state").asText()).as("status --json: " + status).isEqualToIgnoringCase("down");
            assertThat(d.listSas()).isEmpty();

            d.close(); // SIGTERM
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Netns.pids(corp.gatewayNs()).isEmpty() && System.nanoTime() < deadline) Exec.sleep(100);
            assertThat(Netns.pids(corp.gatewayNs())).as("ipsecd stopped on SIGTERM").isEmpty();
            assertThat(Exec.tail(lab.dir().resolve("corp-ipsecd/ipsecd.log"), 4000)).contains("stopped");
        }
    }
}
