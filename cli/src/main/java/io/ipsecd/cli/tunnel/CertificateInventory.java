package io.ipsecd.cli.tunnel;

import io.ipsecd.cli.tunnel.Views.CertificateInfo;
import io.ipsecd.cli.tunnel.Views.CertificateWarning;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.CredentialFile;
import io.ipsecd.conf.LocalCertificate;
import io.ipsecd.conf.TrustStore;
import io.ipsecd.ike.auth.CredentialException;
import io.ipsecd.ike.auth.CredentialLoader;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * Every certificate the configured connections use: this gateway's own (with the intermediates
 * it sends) and the CAs it trusts for the peer, with validity and days left, for
 * {@code ipsecctl list-certs}, and the ones expiring within {@link #WARN_BEFORE} for {@code status}.
 *
 * <p>Files are parsed once per content: the config records each file's SHA-256 when loaded, and a
 * reload that sees new content brings a new {@link CredentialFile}, so a renewed certificate shows
 * without a restart and an unchanged one is not re-read on every status request.
 */
public final class CertificateInventory {
  public static final Duration WARN_BEFORE = Duration.ofDays(30);

  private final Clock clock;
  private final Map<CredentialFile, Parsed> cache = new ConcurrentHashMap<>();

  private record Parsed(List<X509Certificate> certificates, String error) {}

  public CertificateInventory(Clock clock) {
    this.clock = clock;
  }

  public Views.CertificateList list(Config config) {
    Instant now = clock.instant();
    List<CertificateInfo> rows = new ArrayList<>();
    for (Connection c : config.connections().values()) {
      c.local().certificate().ifPresent(local -> addLocal(rows, c.name(), local, now));
      c.remote().trustStore().ifPresent(store -> addCas(rows, c.name(), store, now));
    }
    cache.keySet().retainAll(filesOf(config)); // forget files a reload dropped
    return new Views.CertificateList(rows);
  }

  /** Certificates that expire within {@link #WARN_BEFORE} of now, or have expired. */
  public List<CertificateWarning> warnings(Config config) {
    Instant now = clock.instant();
    List<CertificateWarning> warnings = new ArrayList<>();
    for (CertificateInfo info : list(config).certificates()) {
      if (info.notAfter() == null || info.notAfter().isAfter(now.plus(WARN_BEFORE))) continue;
      warnings.add(new CertificateWarning(info.connection(), info.role(), info.file(), info.subject(), info.notAfter(),
          info.daysToExpiry(), warning(info, now)));
    }
    return warnings;
  }

  private static String warning(CertificateInfo info, Instant now) {
    String what = switch (info.role()) {
      case "ca" -> "CA certificate";
      case "intermediate" -> "intermediate certificate";
      default -> "certificate";
    };
    LocalDate date = LocalDate.ofInstant(info.notAfter(), ZoneOffset.UTC);
    String head = what + " " + info.subject() + " of connection " + info.connection() + " (" + info.file() + ")";
    if (!info.notAfter().isAfter(now)) {
      return head + " expired on " + date + "; peers refuse it: renew it and run ipsecctl reload";
    }
    long days = info.daysToExpiry();
    return head + " expires on " + date + " (in " + days + (days == 1 ? " day" : " days")
        + "); renew it and run ipsecctl reload";
  }

  private void addLocal(List<CertificateInfo> rows, String connection, LocalCertificate local, Instant now) {
    boolean first = true;
    for (X509Certificate cert : parsed(local.cert(), rows, connection, "local", now)) {
      // a PEM cert file may hold the intermediates after the gateway's certificate
      rows.add(info(connection, first ? "local" : "intermediate", local.cert(), cert, now));
      first = false;
    }
    for (CredentialFile file : local.intermediates()) {
      for (X509Certificate cert : parsed(file, rows, connection, "intermediate", now)) {
        rows.add(info(connection, "intermediate", file, cert, now));
      }
    }
  }

  private void addCas(List<CertificateInfo> rows, String connection, TrustStore store, Instant now) {
    for (CredentialFile file : store.cacerts()) {
      for (X509Certificate cert : parsed(file, rows, connection, "ca", now)) {
        rows.add(info(connection, "ca", file, cert, now));
      }
    }
  }

  /** The file's certificates; an unreadable file adds one row with the loader's message instead. */
  private List<X509Certificate> parsed(CredentialFile file, List<CertificateInfo> rows, String connection,
      String role, Instant now) {
    Parsed parsed = cache.computeIfAbsent(file, f -> {
      try {
        return new Parsed(CredentialLoader.certificates(f.path()), null);
      } catch (CredentialException e) {
        return new Parsed(List.of(), e.getMessage());
      }
    });
    if (parsed.error() != null) {
      rows.add(new CertificateInfo(connection, role, file.toString(), null, null, null, null, null, null,
          parsed.error()));
    }
    return parsed.certificates();
  }

  private static CertificateInfo info(String connection, String role, CredentialFile file, X509Certificate cert,
      Instant now) {
    Instant notAfter = cert.getNotAfter().toInstant();
    return new CertificateInfo(connection, role, file.toString(), name(cert.getSubjectX500Principal()),
        name(cert.getIssuerX500Principal()), cert.getSerialNumber().toString(16), cert.getNotBefore().toInstant(),
        notAfter, Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L), null);
  }

  private static String name(X500Principal principal) {
    return principal.getName(X500Principal.RFC2253);
  }

  private static java.util.Set<CredentialFile> filesOf(Config config) {
    java.util.Set<CredentialFile> files = new java.util.HashSet<>();
    for (Connection c : config.connections().values()) {
      c.local().certificate().ifPresent(l -> {
        files.add(l.cert());
        files.addAll(l.intermediates());
      });
      c.remote().trustStore().ifPresent(t -> files.addAll(t.cacerts()));
    }
    return files;
  }
}
