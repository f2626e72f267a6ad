package io.ipsecd.cli.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.control.ControlProtocol;
import io.ipsecd.cli.tunnel.Views;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** list-certs as a table, and the certificate warning in status, as the admin reads them. */
class CertificateTextTest {
  private static final Views.CertificateInfo LOCAL = new Views.CertificateInfo("branch", "local", "/etc/ipsecd/gw.pem",
      "CN=gw-a.example.net", "CN=Test Root", "1001", Instant.parse("2025-12-08T12:00:00Z"),
      Instant.parse("2026-12-08T12:00:00Z"), 10L, null);
  private static final Views.CertificateInfo CA = new Views.CertificateInfo("branch", "ca", "/etc/ipsecd/root.pem",
      "CN=Test Root", "CN=Test Root", "1000", Instant.parse("2025-01-01T00:00:00Z"),
      Instant.parse("2035-01-01T00:00:00Z"), 3321L, null);
  private static final Views.CertificateInfo OLD = new Views.CertificateInfo("old", "local", "/etc/ipsecd/old.pem",
      "CN=old", "CN=Test Root", "1002", Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"),
      -28L, null);
  private static final Views.CertificateInfo BROKEN = new Views.CertificateInfo("broken", "ca", "/etc/ipsecd/bad.pem",
      null, null, null, null, null, null, "certificate file /etc/ipsecd/bad.pem is not valid PEM (...)");

  private static String print(java.util.function.Consumer<PrintWriter> printer) {
    StringWriter s = new StringWriter();
    try (PrintWriter w = new PrintWriter(s)) {
      printer.accept(w);
    }
    return s.toString();
  }

  @Test
  void listCertsIsAnAlignedTableWithUnreadableFilesBelow() throws Exception {
    Views.CertificateList list = new Views.CertificateList(List.of(LOCAL, CA, OLD, BROKEN));
    // as it crosses the control socket
    Views.CertificateList read = ControlProtocol.JSON.treeToValue(ControlProtocol.JSON.valueToTree(list),
        Views.CertificateList.class);

    assertThat(print(out -> TextFormat.certificates(read, out))).isEqualTo("""
        CONNECTION  ROLE   SUBJECT              ISSUER        NOT BEFORE  NOT AFTER   DAYS LEFT  FILE
        branch      local  CN=gw-a.example.net  CN=Test Root  2025-12-08  2026-12-08  10         /etc/ipsecd/gw.pem
        branch      ca     CN=Test Root         CN=Test Root  2025-01-01  2035-01-01  3321       /etc/ipsecd/root.pem
        old         local  CN=old               CN=Test Root  2025-01-01  2026-11-01  expired    /etc/ipsecd/old.pem
        broken (ca): certificate file /etc/ipsecd/bad.pem is not valid PEM (...)
        """);
  }

  @Test
  void noPubkeyConnectionSaysSo() {
    assertThat(print(out -> TextFormat.certificates(new Views.CertificateList(List.of()), out)))
        .isEqualTo("no certificates (no connection uses auth: pubkey)\n");
  }

  @Test
  void statusPrintsEachCertificateWarningBeforeTheSummary() throws Exception {
    Views.StatusReport report = new Views.StatusReport(List.of(), new Views.Summary(1, 0, 1, 0), List.of(
        new Views.CertificateWarning("branch", "local", "/etc/ipsecd/gw.pem", "CN=gw-a.example.net",
            Instant.parse("2026-12-08T12:00:00Z"), 10, "certificate CN=gw-a.example.net of connection branch"
            + " (/etc/ipsecd/gw.pem) expires on 2026-12-08 (in 10 days); renew it and run ipsecctl reload")));
    Views.StatusReport read = ControlProtocol.JSON.treeToValue(ControlProtocol.JSON.valueToTree(report),
        Views.StatusReport.class);

    assertThat(print(out -> TextFormat.status(read, out))).isEqualTo("warning: certificate CN=gw-a.example.net of"
        + " connection branch (/etc/ipsecd/gw.pem) expires on 2026-12-08 (in 10 days); renew it and run ipsecctl reload\n"
        + "1 configured, 0 up (1 children, 0 installed)\n");
    // a status without the field (an older daemon) reads as no warnings
    Views.StatusReport old = ControlProtocol.JSON.readValue(
        "{\"connections\":[],\"summary\":{\"configured\":0,\"up\":0,\"children\":0,\"childrenUp\":0}}",
        Views.StatusReport.class);
    assertThat(old.certificateWarnings()).isEmpty();
  }
}
