package io.ipsecd.cli.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.TestCertificates;
import io.ipsecd.cli.TestCertificates.Issued;
import io.ipsecd.cli.tunnel.Views.CertificateInfo;
import io.ipsecd.cli.tunnel.Views.CertificateWarning;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificates of pubkey connections, read from real files, and which of them status warns about. */
class CertificateInventoryTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  @TempDir Path dir;
  private Issued root;

  @BeforeEach
  void pki() throws Exception {
    root = TestCertificates.ca("CN=Test Root", NOW.minus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(3650)));
    root.writeCert(dir.resolve("root.pem"));
  }

  private Config config(String gatewayCertFile, Issued gateway) throws Exception {
    gateway.writeKey(dir.resolve("gw.key"));
    String yaml = """
        connections:
          branch:
            local:  { address: 192.0.2.1, id: gw-a.example.net, auth: pubkey, cert: %1$s, key: gw.key }
            remote: { address: 192.0.2.2, id: gw-b.example.net, auth: pubkey, cacerts: [root.pem] }
            children:
              net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }
          plain:
            local:  { address: 192.0.2.1, id: a, auth: psk }
            remote: { address: 192.0.2.3, id: b, auth: psk }
            psk:    { file: site.psk }
            children:
              net: { local_ts: [10.1.0.0/16], remote_ts: [10.3.0.0/16] }
        """.formatted(gatewayCertFile);
    Path psk = Files.writeString(dir.resolve("site.psk"), "a-long-enough-test-psk-0123456789");
    Files.setPosixFilePermissions(psk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    LoadResult result = ConfigLoader.parse(yaml, "test.yaml", dir);
    assertThat(result).as("%s", result).isInstanceOf(LoadResult.Valid.class);
    return ((LoadResult.Valid) result).config();
  }

  @Test
  void listsOwnChainAndTrustedCasWithDaysLeft() throws Exception {
    Issued gateway = TestCertificates.gateway(root, "CN=gw-a.example.net", NOW.minus(Duration.ofDays(355)),
        NOW.plus(Duration.ofDays(10)));
    // the gateway's certificate file carries the root after it, as a chain file does
    Files.writeString(dir.resolve("gw.pem"), TestCertificates.pem("CERTIFICATE", gateway.cert().getEncoded())
        + TestCertificates.pem("CERTIFICATE", root.cert().getEncoded()));

    List<CertificateInfo> rows = new CertificateInventory(CLOCK).list(config("gw.pem", gateway)).certificates();

    assertThat(rows).extracting(CertificateInfo::connection, CertificateInfo::role, CertificateInfo::subject,
        CertificateInfo::issuer, CertificateInfo::daysToExpiry).containsExactly(
        org.assertj.core.groups.Tuple.tuple("branch", "local", "CN=gw-a.example.net", "CN=Test Root", 10L),
        org.assertj.core.groups.Tuple.tuple("branch", "intermediate", "CN=Test Root", "CN=Test Root", 3650L),
        org.assertj.core.groups.Tuple.tuple("branch", "ca", "CN=Test Root", "CN=Test Root", 3650L));
    CertificateInfo local = rows.getFirst();
    assertThat(local.file()).isEqualTo(dir.resolve("gw.pem").toString());
    assertThat(local.notAfter()).isEqualTo(gateway.cert().getNotAfter().toInstant());
    assertThat(local.notBefore()).isEqualTo(gateway.cert().getNotBefore().toInstant());
    assertThat(local.serial()).isEqualTo(gateway.cert().getSerialNumber().toString(16));
    assertThat(local.error()).isNull();
  }

  @Test
  void warnsAboutACertificateExpiringWithin30DaysNamingConnectionFileAndDate() throws Exception {
    Issued gateway = TestCertificates.gateway(root, "CN=gw-a.example.net", NOW.minus(Duration.ofDays(355)),
        Instant.parse("2026-12-08T12:00:00Z"));
    gateway.writeCert(dir.resolve("gw.pem"));

    List<CertificateWarning> warnings = new CertificateInventory(CLOCK).warnings(config("gw.pem", gateway));

    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst().daysToExpiry()).isEqualTo(10);
    assertThat(warnings.getFirst().message()).isEqualTo("certificate CN=gw-a.example.net of connection branch ("
        + dir.resolve("gw.pem") + ") expires on 2026-12-08 (in 10 days); renew it and run ipsecctl reload");
  }

  @Test
  void warnsAboutAnExpiredCertificateAndNotAboutOneWithMoreThan30Days() throws Exception {
    Issued expired = TestCertificates.gateway(root, "CN=gw-a.example.net", NOW.minus(Duration.ofDays(400)),
        Instant.parse("2026-11-25T00:00:00Z"));
    expired.writeCert(dir.resolve("gw.pem"));
    CertificateInventory inventory = new CertificateInventory(CLOCK);

    List<CertificateWarning> warnings = inventory.warnings(config("gw.pem", expired));
    assertThat(warnings).extracting(CertificateWarning::message).containsExactly("certificate CN=gw-a.example.net of"
        + " connection branch (" + dir.resolve("gw.pem") + ") expired on 2026-11-25; peers refuse it: renew it and run"
        + " ipsecctl reload");
    assertThat(inventory.list(config("gw.pem", expired)).certificates().getFirst().daysToExpiry()).isEqualTo(-4);

    // renewed behind the same file name: the reloaded config sees the new content, the warning goes away
    Issued renewed = TestCertificates.gateway(root, "CN=gw-a.example.net", NOW, NOW.plus(Duration.ofDays(31)));
    renewed.writeCert(dir.resolve("gw.pem"));
    assertThat(inventory.warnings(config("gw.pem", renewed))).isEmpty();
    assertThat(inventory.list(config("gw.pem", renewed)).certificates().getFirst().daysToExpiry()).isEqualTo(31);
  }

  @Test
  void anUnreadableCertificateFileIsOneRowWithTheLoadersMessage() throws Exception {
    Issued gateway = TestCertificates.gateway(root, "CN=gw-a.example.net", NOW, NOW.plus(Duration.ofDays(100)));
    Files.writeString(dir.resolve("gw.pem"), "-----BEGIN CERTIFICATE-----\nthis is not base64 !\n");

    List<CertificateInfo> rows = new CertificateInventory(CLOCK).list(config("gw.pem", gateway)).certificates();

    assertThat(rows.getFirst().role()).isEqualTo("local");
    assertThat(rows.getFirst().subject()).isNull();
    assertThat(rows.getFirst().error()).startsWith("certificate file " + dir.resolve("gw.pem") + " is not valid PEM");
    assertThat(rows).extracting(CertificateInfo::role).containsExactly("local", "ca");
  }
}
