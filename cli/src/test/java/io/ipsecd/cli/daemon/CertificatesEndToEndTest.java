package io.ipsecd.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.cli.DaemonProcess;
import io.ipsecd.cli.DaemonProcess.Result;
import io.ipsecd.cli.TestCertificates;
import io.ipsecd.cli.TestCertificates.Issued;
import io.ipsecd.cli.control.ControlProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipsecctl list-certs and the expiry warning in status, against a real ipsecd with real certificate files. */
class CertificatesEndToEndTest {
  @TempDir static Path dir;
  static DaemonProcess daemon;
  static Instant expiry;

  /** One daemon for the class: starting one costs seconds on a busy machine. */
  @BeforeAll
  static void start() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    expiry = now.plus(Duration.ofDays(10)).plus(Duration.ofHours(1));
    Issued root = TestCertificates.ca("CN=E2E Root", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(3650)).plus(Duration.ofHours(1)));
    Issued gateway = TestCertificates.gateway(root, "CN=gw-a.example.net", now.minus(Duration.ofDays(355)), expiry);
    root.writeCert(dir.resolve("root.pem"));
    gateway.writeCert(dir.resolve("gw.pem"));
    gateway.writeKey(dir.resolve("gw.key"));
    String branch = """
          branch:
            local:  { address: 192.0.2.1, id: gw-a.example.net, auth: pubkey, cert: %1$s/gw.pem, key: %1$s/gw.key }
            remote: { address: 203.0.113.9, id: gw-b.example.net, auth: pubkey, cacerts: [%1$s/root.pem] }
            children:
              lan: { local_ts: [10.1.0.0/16], remote_ts: [10.9.0.0/16] }
        """.formatted(dir);
    daemon = new DaemonProcess(dir);
    daemon.writeConfig(DaemonProcess.config(dir, branch)).start();
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  @Test
  void listCertsShowsOwnAndCaCertificatesWithDaysToExpiry() throws Exception {
    Result text = daemon.ctl("list-certs");
    assertThat(text.exitCode()).as(text.err()).isZero();
    String day = LocalDate.ofInstant(expiry, ZoneOffset.UTC).toString();
    assertThat(text.out().lines().toList()).hasSize(3);
    assertThat(text.out().lines().toList().getFirst()).startsWith("CONNECTION  ROLE   SUBJECT");
    assertThat(text.out()).containsPattern("branch +local +CN=gw-a\\.example\\.net +CN=E2E Root +\\S+ +" + day
        + " +10 +" + dir.resolve("gw.pem"));
    assertThat(text.out()).containsPattern("branch +ca +CN=E2E Root +CN=E2E Root .* 3650 +" + dir.resolve("root.pem"));

    JsonNode json = ControlProtocol.JSON.readTree(daemon.ctl("list-certs", "--json").out());
    assertThat(json.at("/certificates/0/role").asText()).isEqualTo("local");
    assertThat(json.at("/certificates/0/daysToExpiry").asLong()).isEqualTo(10);
    assertThat(Instant.parse(json.at("/certificates/0/notAfter").asText())).isEqualTo(expiry);
    assertThat(json.at("/certificates/1/subject").asText()).isEqualTo("CN=E2E Root");
  }

  @Test
  void statusWarnsAboutTheCertificateExpiringIn10Days() throws Exception {
    String day = LocalDate.ofInstant(expiry, ZoneOffset.UTC).toString();
    String warning = "certificate CN=gw-a.example.net of connection branch (" + dir.resolve("gw.pem") + ") expires on "
        + day + " (in 10 days); renew it and run ipsecctl reload";

    Result status = daemon.ctl("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("warning: " + warning + "\n3 configured");
    JsonNode json = ControlProtocol.JSON.readTree(daemon.ctl("status", "--json").out());
    assertThat(json.at("/certificateWarnings/0/connection").asText()).isEqualTo("branch");
    assertThat(json.at("/certificateWarnings/0/daysToExpiry").asLong()).isEqualTo(10);
    assertThat(daemon.logText()).contains("WARN  cfg " + warning);
  }
}
