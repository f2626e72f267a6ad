package io.ipsecd.cli.tunnel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the control socket reports, shaped like strongSwan's VICI/list-sas fields so that admins
 * and tooling find what they know. Shared by the daemon (which fills them) and ipsecctl (which
 * prints them).
 */
public final class Views {
  private Views() {}

  public record LastError(String message, Instant at) {}

  /**
   * Where one SA is in its life, for {@code status}: how many rekeys led to it since its first
   * negotiation, and when we rekey it next (null when not scheduled). {@code keyExchanges}: an IKE
   * SA's negotiated key exchanges as list-sas names them ("CURVE_25519/KE1_ML_KEM_768"), null for
   * Child SAs and before they are negotiated.
   */
  public record SaLifecycle(long uniqueId, String state, int rekeys, Long rekeyInSeconds, String keyExchanges) {
    public SaLifecycle(long uniqueId, String state, int rekeys, Long rekeyInSeconds) {
      this(uniqueId, state, rekeys, rekeyInSeconds, null);
    }
  }

  /**
   * {@code interfaceName}: where the child's traffic is routed (ipsecd0, or its route-based connection's own);
   * {@code sas}: its Child SAs now (more than one briefly around a rekey).
   */
  public record ChildStatus(String name, String state, String start, List<String> localTs, List<String> remoteTs,
      List<String> espProposals, LastError lastError, String interfaceName, List<SaLifecycle> sas) {
    public ChildStatus {
      sas = sas == null ? List.of() : List.copyOf(sas);
    }

    public ChildStatus(String name, String state, String start, List<String> localTs, List<String> remoteTs,
        List<String> espProposals, LastError lastError, String interfaceName) {
      this(name, state, start, localTs, remoteTs, espProposals, lastError, interfaceName, List.of());
    }

    public ChildStatus(String name, String state, String start, List<String> localTs, List<String> remoteTs,
        List<String> espProposals, LastError lastError) {
      this(name, state, start, localTs, remoteTs, espProposals, lastError, null);
    }
  }

  /** {@code ikeSas}: the connection's IKE SAs now (more than one briefly around a rekey). */
  public record ConnectionStatus(String name, String state, String local, String localId, String remote,
      String remoteId, List<String> ikeProposals, List<ChildStatus> children, LastError lastError,
      List<SaLifecycle> ikeSas) {
    public ConnectionStatus {
      ikeSas = ikeSas == null ? List.of() : List.copyOf(ikeSas);
    }

    public ConnectionStatus(String name, String state, String local, String localId, String remote,
        String remoteId, List<String> ikeProposals, List<ChildStatus> children, LastError lastError) {
      this(name, state, local, localId, remote, remoteId, ikeProposals, children, lastError, List.of());
    }
  }

  public record Summary(int configured, int up, int children, int childrenUp) {
    public String text() {
      return configured + " configured, " + up + " up (" + children + " children, " + childrenUp + " installed)";
    }
  }

  /** {@code certificateWarnings}: loaded certificates that expire within 30 days or have expired. */
  public record StatusReport(List<ConnectionStatus> connections, Summary summary,
      List<CertificateWarning> certificateWarnings) {
    public StatusReport {
      certificateWarnings = certificateWarnings == null ? List.of() : List.copyOf(certificateWarnings);
    }

    public StatusReport(List<ConnectionStatus> connections, Summary summary) {
      this(connections, summary, List.of());
    }

    public StatusReport withCertificateWarnings(List<CertificateWarning> warnings) {
      return new StatusReport(connections, summary, warnings);
    }
  }

  /**
   * One certificate a connection uses, for {@code list-certs}. {@code role}: {@code local} (this
   * gateway's own), {@code intermediate} (sent along with it) or {@code ca} (trusted for the peer).
   * {@code daysToExpiry} is whole days left, negative once expired. A file that cannot be read is
   * one entry with {@code error} set and the certificate fields null.
   */
  public record CertificateInfo(String connection, String role, String file, String subject, String issuer,
      String serial, Instant notBefore, Instant notAfter, Long daysToExpiry, String error) {}

  public record CertificateList(List<CertificateInfo> certificates) {
    public CertificateList {
      certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }
  }

  /** A certificate that expires soon or has expired; {@code message} is the admin-facing line. */
  public record CertificateWarning(String connection, String role, String file, String subject, Instant notAfter,
      long daysToExpiry, String message) {}

  /**
   * One Child SA, with the fields of {@code swanctl --list-sas}, plus the data plane's drop counters
   * where each drop happens: inbound checks (replay, ICV, padding, malformed) on the inbound SA,
   * refusals to encrypt (expired, sequence numbers exhausted) on the outbound one. The
   * {@code last...SecondsAgo} fields are null until a packet went through.
   */
  public record ChildSa(String name, long uniqueId, String state, String mode, String protocol, boolean udpEncap,
      String encryption, String integrity, String keyExchange, boolean esn,
      String spiIn, long bytesIn, long packetsIn, Long lastInSecondsAgo,
      long replayDropsIn, long icvFailuresIn, long badPaddingIn, long malformedIn,
      String spiOut, long bytesOut, long packetsOut, Long lastOutSecondsAgo, long refusedOut,
      Instant installed, Long rekeyInSeconds, Long expiresInSeconds, List<String> localTs, List<String> remoteTs,
      int rekeys) {
    /** Before rekeys were counted. */
    public ChildSa(String name, long uniqueId, String state, String mode, String protocol, boolean udpEncap,
        String encryption, String integrity, String keyExchange, boolean esn,
        String spiIn, long bytesIn, long packetsIn, Long lastInSecondsAgo,
        long replayDropsIn, long icvFailuresIn, long badPaddingIn, long malformedIn,
        String spiOut, long bytesOut, long packetsOut, Long lastOutSecondsAgo, long refusedOut,
        Instant installed, Long rekeyInSeconds, Long expiresInSeconds, List<String> localTs, List<String> remoteTs) {
      this(name, uniqueId, state, mode, protocol, udpEncap, encryption, integrity, keyExchange, esn, spiIn, bytesIn,
          packetsIn, lastInSecondsAgo, replayDropsIn, icvFailuresIn, badPaddingIn, malformedIn, spiOut, bytesOut,
          packetsOut, lastOutSecondsAgo, refusedOut, installed, rekeyInSeconds, expiresInSeconds, localTs, remoteTs, 0);
    }
  }

  /** One IKE SA, with the fields of {@code swanctl --list-sas}; {@code rekeys}: how many led to it. */
  public record IkeSa(String name, long uniqueId, String state, int version, boolean initiator,
      String spiInitiator, String spiResponder, String localId, String localAddress, int localPort,
      String remoteId, String remoteAddress, int remotePort, String encryption, String integrity,
      String prf, String keyExchange, Instant established, Long rekeyInSeconds, List<ChildSa> children,
      int rekeys, String authentication, boolean fragmentation) {
    /** Before authentication and fragmentation were shown. */
    public IkeSa(String name, long uniqueId, String state, int version, boolean initiator,
        String spiInitiator, String spiResponder, String localId, String localAddress, int localPort,
        String remoteId, String remoteAddress, int remotePort, String encryption, String integrity,
        String prf, String keyExchange, Instant established, Long rekeyInSeconds, List<ChildSa> children,
        int rekeys) {
      this(name, uniqueId, state, version, initiator, spiInitiator, spiResponder, localId, localAddress, localPort,
          remoteId, remoteAddress, remotePort, encryption, integrity, prf, keyExchange, established, rekeyInSeconds,
          children, rekeys, null, false);
    }

    /** Before rekeys were counted. */
    public IkeSa(String name, long uniqueId, String state, int version, boolean initiator,
        String spiInitiator, String spiResponder, String localId, String localAddress, int localPort,
        String remoteId, String remoteAddress, int remotePort, String encryption, String integrity,
        String prf, String keyExchange, Instant established, Long rekeyInSeconds, List<ChildSa> children) {
      this(name, uniqueId, state, version, initiator, spiInitiator, spiResponder, localId, localAddress, localPort,
          remoteId, remoteAddress, remotePort, encryption, integrity, prf, keyExchange, established, rekeyInSeconds,
          children, 0);
    }
  }

  public record SaList(List<IkeSa> ikeSas) {}

  /**
   * {@code dataplane} is null when the daemon has no data plane (no connection names a local address);
   * {@code eventsByType} counts every event since start by its type ({@code child-rekeyed}, {@code dpd-dead}, ...).
   */
  public record Stats(String version, Instant started, long uptimeSeconds, String configFile, int connections,
      int children, int ikeSas, int childSas, long controlRequests, long callersRefused, long reloads,
      long reloadsFailed, Instant lastReload, long events, long heapUsedBytes, int threads, DataplaneStats dataplane,
      Map<String, Long> eventsByType) {
    public Stats {
      eventsByType = eventsByType == null ? Map.of() : java.util.Collections.unmodifiableMap(
          new java.util.TreeMap<>(eventsByType));
    }

    /** Without event counts by type. */
    public Stats(String version, Instant started, long uptimeSeconds, String configFile, int connections,
        int children, int ikeSas, int childSas, long controlRequests, long callersRefused, long reloads,
        long reloadsFailed, Instant lastReload, long events, long heapUsedBytes, int threads, DataplaneStats dataplane) {
      this(version, started, uptimeSeconds, configFile, connections, children, ikeSas, childSas, controlRequests,
          callersRefused, reloads, reloadsFailed, lastReload, events, heapUsedBytes, threads, dataplane, Map.of());
    }
  }

  /**
   * The data plane's totals. Traffic and the replay/ICV counts are summed over the Child SAs
   * installed now (a deleted SA's counters go with it); {@code drops} are the data plane's own
   * counters since it started, keyed by reason (see {@link DropReason}), and survive SA deletion.
   */
  public record DataplaneStats(boolean running, String tunnel, long packetsIn, long bytesIn, long packetsOut,
      long bytesOut, long replayDrops, long icvFailures, Map<String, Long> drops) {}

  /** Why the data plane dropped a packet outside an SA's own checks: the JSON key and what it means to an admin. */
  public enum DropReason {
    NO_SA("noSa", "protected traffic with no usable SA: dropped, never sent in clear (tunnel down, rekeying or deleted)"),
    NO_POLICY("noPolicy", "routed into the TUN but no policy matches (not tunnel traffic)"),
    TRAP_QUEUE_FULL("trapQueueFull", "held for a tunnel being brought up, but its queue was full"),
    MALFORMED_INNER("malformedInner", "not a well-formed IPv4/IPv6 packet"),
    ENCRYPT_REFUSED("encryptRefused", "refused by the outbound SA (expired, or its sequence numbers ran out)"),
    TOO_BIG("tooBig", "too big for the tunnel MTU (an ICMP error went back to the sender)"),
    SEND_FAILED("sendFailed", "ESP the outer socket would not send"),
    UNKNOWN_SPI("unknownSpi", "ESP for an SPI that is not installed (an old or deleted SA, or a stranger)"),
    WRONG_TRANSPORT("wrongTransport", "ESP on the wrong transport (UDP 4500 vs raw ESP) for its SA"),
    DECRYPT_FAILED("decryptFailed", "ESP rejected by its SA: replayed, failed ICV or bad padding (per SA in list-sas)"),
    POLICY_MISMATCH("policyMismatch", "decrypted packets outside their child's traffic selectors"),
    TUN_WRITE_FAILED("tunWriteFailed", "decrypted packets the TUN device refused"),
    EVENTS_LOST("eventsLost", "data plane events lost because the daemon was slow to take them (not packets)");

    private final String key;
    private final String meaning;

    DropReason(String key, String meaning) {
      this.key = key;
      this.meaning = meaning;
    }

    public String key() {
      return key;
    }

    public String meaning() {
      return meaning;
    }

    /** The admin wording for a JSON key; an unknown key (a newer daemon) is shown as it is. */
    public static String meaningOf(String key) {
      for (DropReason r : values()) {
        if (r.key.equals(key)) {
          return r.meaning;
        }
      }
      return key;
    }
  }

  public record ActionResult(String message) {}

  public record ReloadResult(String message, List<String> added, List<String> removed, List<String> changed,
      List<String> unchanged) {}
}
