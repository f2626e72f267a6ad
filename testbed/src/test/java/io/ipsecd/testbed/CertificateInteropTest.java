package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.TestCa.KeyType;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate authentication against strongSwan 5.9.8, in one lab: for RSA (certificates and
 * IKE signatures with RSASSA-PSS on both sides), ECDSA P-384 and Ed25519, a chain of root, intermediate and gateway
 * certificates from {@link TestCa} (FQDN identities in the subjectAltName) brings the tunnel up with
 * ipsecd initiating and with strongSwan initiating, and a ping crosses it. Both sides send IKE
 * fragments of at most 576 bytes, so every IKE_AUTH with its certificate chain is fragmented,
 * which charon's log confirms. The ECDSA case uses DN identities (ID_DER_ASN1_DN) instead of FQDNs. A strongSwan certificate revoked by the CRL ipsecd has is refused
 * with a message that names the certificate, the CRL and what to do.
 */
@Testbed
class CertificateInteropTest {
    static final int FRAGMENT_SIZE = 576;
    private static final Duration UP = Duration.ofSeconds(20);

    private static Lab lab;
    private static Ipsecd ours;
    private static StrongSwan theirs;

    @BeforeAll
    static void oneLab() {
        Ipsecd.assumePackaged();
        lab = Topologies.siteToSite();
        ours = Ipsecd.start(lab, lab.corp()).withIkeOptions("fragment_size: " + FRAGMENT_SIZE);
        theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8,
                Map.of("fragment_size", Integer.toString(FRAGMENT_SIZE), "rsa_pss", "yes"));
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) lab.close();
    }

    static String fqdn(Site site) {
        return site.name() + ".example.net";
    }

    /** The gateway's subject DN, written in strongSwan's order (as {@link TestCa} issues it). */
    static String dn(Site site) {
        return "C=CH, O=ipsecd testbed, CN=" + fqdn(site);
    }

    /**
     * The tunnel as {@code local} sees it, authenticated with {@code auth}; the identities are the
     * FQDNs (subjectAltName), or with {@code dnIds} the subject DNs (ID_DER_ASN1_DN).
     */
    static TunnelConfig tunnel(Site local, Site remote, TunnelConfig.Certificates auth, boolean dnIds) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), dnIds ? dn(local) : fqdn(local)),
                new Endpoint(remote.wanAddress().v4(), dnIds ? dn(remote) : fqdn(remote)),
                List.of("aes256gcm16-prfsha384-x25519"), auth,
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()), List.of(remote.lan().v4(),
                        remote.lan().v6()), List.of("aes256gcm16"), TunnelConfig.StartAction.NONE)));
    }

    /** Both gateways get certificates of one CA of {@code type}; ipsecd optionally with CRLs. */
    static TestCa configure(Lab lab, Ipsecd ours, StrongSwan theirs, KeyType type, boolean revokeTheirs) {
        return configure(lab, ours, theirs, type, revokeTheirs, false);
    }

    static TestCa configure(Lab lab, Ipsecd ours, StrongSwan theirs, KeyType type, boolean revokeTheirs, boolean dnIds) {
        TestCa ca = new TestCa(lab.dir("pki-" + type.name().toLowerCase(java.util.Locale.ROOT)), type);
        TestCa.Gateway corp = ca.gateway(fqdn(lab.corp()));
        TestCa.Gateway cloud = ca.gateway(fqdn(lab.cloud()));
        List<Path> crls = revokeTheirs ? List.of(ca.revoke(cloud)) : List.of();
        theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), ca.credentials(cloud, List.of()), dnIds)));
        List<TunnelConfig> tunnels = List.of(tunnel(lab.corp(), lab.cloud(), ca.credentials(corp, crls), dnIds));
        if (Files.exists(ours.socket())) {
            // a reload is quicker than a restart, and loads the new certificates: their content changed
            ours.writeConfig(tunnels);
            ours.ipsecctl("reload").check();
        } else {
            ours.load(tunnels);
        }
        return ca;
    }

    @Test
    void rsaPss() {
        TestCa ca = configure(lab, ours, theirs, KeyType.RSA, false);
        assertThat(ca.root().getSigAlgName()).as("the chain itself is signed with PSS").isEqualTo("RSASSA-PSS");
        long from = size(theirs.log());
        long oursFrom = size(ours.log());
        bothRoles(lab, ours, theirs);
        String charon = since(theirs.log(), from);
        assertThat(charon).as("strongSwan signs and verifies RSASSA-PSS").contains("with RSA_EMSA_PSS_SHA2_");
        assertThat(charon).contains("authentication of '" + fqdn(lab.corp()) + "' with RSA_EMSA_PSS");
        assertThat(charon).as("strongSwan split its IKE_AUTH (certificate chain) into 576-byte fragments")
                .containsPattern("splitting IKE message \\(\\d+ bytes\\) into \\d+ fragments");
        assertThat(charon).as("strongSwan reassembled ours").containsPattern("received fragment #\\d+ of \\d+, reassembled");
        String ipsecd = since(ours.log(), oursFrom);
        assertThat(ipsecd).as("ipsecd verified strongSwan's RSASSA-PSS").contains("(RSA-PSS-SHA256 (RFC 7427))");
        assertThat(ipsecd).containsPattern("IKE_AUTH (request|response) #1 of \\d+ bytes sent to "
                + lab.cloud().wanAddress().v4() + " as \\d+ fragments");
    }

    /** With DN identities: strongSwan reads "C=CH, O=..., CN=..." in the order written, and so must ipsecd. */
    @Test
    void ecdsaP384WithDnIdentities() {
        configure(lab, ours, theirs, KeyType.ECDSA_P384, false, true);
        long from = size(theirs.log());
        bothRoles(lab, ours, theirs);
        assertThat(since(theirs.log(), from)).contains("authentication of '" + dn(lab.corp()) + "' with ECDSA_WITH_SHA384_DER "
                + "successful");
    }

    @Test
    void ed25519() {
        configure(lab, ours, theirs, KeyType.ED25519, false);
        long from = size(theirs.log());
        bothRoles(lab, ours, theirs);
        assertThat(since(theirs.log(), from)).contains("authentication of '" + fqdn(lab.corp()) + "' with ED25519");
    }

    @Test
    void aRevokedStrongSwanCertificateIsRefusedWithTheReason() {
        configure(lab, ours, theirs, KeyType.ECDSA_P384, true);
        long from = size(theirs.log());
        try (ControlSocket.Monitor events = ours.monitor()) {
            ours.ipsecctl("up", "s2s").check();
            String cloud = lab.cloud().wanAddress().v4();
            assertThat(Waits.await(() -> events.events().stream().anyMatch(e -> e.path("message").asText().contains("revoked")),
                    UP)).as(events.dump() + lab.logTails(3000)).isTrue();
            String message = events.events().stream().map(e -> e.path("message").asText()).filter(m -> m.contains("revoked"))
                    .findFirst().orElseThrow();
            assertThat(message).startsWith("authentication failed: certificate of peer " + cloud + " (id "
                    + fqdn(lab.cloud()) + ", tunnel s2s)").contains("CN=" + fqdn(lab.cloud()), "was revoked on",
                    "CRL from CN=Test Intermediate ecdsa-p384", "the peer needs a new certificate");
            assertThat(Exec.tail(ours.log(), 200_000)).contains(message);
            assertThat(ours.listSas()).isEmpty();
            // strongSwan had its IKE SA up when ipsecd refused it: ipsecd's AUTHENTICATION_FAILED takes it down
            assertThat(Waits.await(() -> theirs.listSas().isEmpty(), UP)).as(lab.logTails(3000)).isTrue();
            assertThat(since(theirs.log(), from)).containsPattern("parsed INFORMATIONAL request \\d+ \\[ N\\(AUTH_FAILED\\) \\]")
                    .contains("deleting IKE_SA s2s");
        } finally {
            ours.terminate("s2s");
            if (!theirs.listSas().isEmpty()) {
                theirs.swanctl(Duration.ofSeconds(10), "--terminate", "--ike", "s2s", "--force");
            }
        }
    }

    /**
     * strongSwan trusts another root, initiates, and refuses ipsecd's certificate: it says so with
     * AUTHENTICATION_FAILED after IKE_AUTH, and ipsecd drops the IKE SA it had established and
     * tells the admin what to check.
     */
    @Test
    void ipsecdHearsThatStrongSwanRefusedItsCertificate() {
        TestCa ca = configure(lab, ours, theirs, KeyType.ECDSA_P384, false);
        TestCa other = new TestCa(lab.dir("pki-other"), KeyType.ECDSA_P384);
        TestCa.Gateway cloud = ca.gateway(fqdn(lab.cloud()));
        theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), new TunnelConfig.Certificates(cloud.certificate(),
                cloud.privateKey(), List.of(ca.intermediatePem()), List.of(other.rootPem()), List.of()), false)));
        try (ControlSocket.Monitor events = ours.monitor()) {
            try {
                theirs.initiate("s2s", "net", Duration.ofSeconds(5));
            } catch (IllegalStateException expected) {
                // strongSwan's initiate fails: it did not trust us
            }
            assertThat(Waits.await(() -> events.events("error").stream()
                    .anyMatch(e -> e.path("message").asText().contains("refused our AUTH")), UP)).as(events.dump()).isTrue();
            assertThat(events.events("error").getLast().path("message").asText()).startsWith("authentication failed: peer "
                    + lab.cloud().wanAddress().v4() + " (tunnel s2s) refused our AUTH with certificate CN=" + fqdn(lab.corp()))
                    .contains("check on the peer that it trusts our CA");
            assertThat(Waits.await(() -> ours.listSas().isEmpty(), UP)).isTrue();
        } finally {
            theirs.terminate("s2s");
        }
    }

    /** A key that is not the certificate's: the reload says so (event and status), ipsecd keeps running. */
    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsReportedOnReload() {
        TestCa ca = configure(lab, ours, theirs, KeyType.ED25519, false);
        TestCa.Gateway corp = ca.gateway(fqdn(lab.corp()));
        TestCa.Gateway stranger = ca.gateway("stranger.example.net");
        TunnelConfig.Certificates mismatched = new TunnelConfig.Certificates(corp.certificate(), stranger.privateKey(),
                List.of(ca.intermediatePem()), List.of(ca.rootPem()), List.of());
        try (ControlSocket.Monitor events = ours.monitor()) {
            ours.writeConfig(List.of(tunnel(lab.corp(), lab.cloud(), mismatched, false)));
            ours.ipsecctl("reload").check();
            assertThat(Waits.await(() -> !events.events("error").isEmpty(), UP)).as(events.dump()).isTrue();
            String message = events.events("error").getFirst().path("message").asText();
            assertThat(message).startsWith("tunnel s2s cannot use its certificates: key file " + stranger.privateKey()
                    + " and certificate file " + corp.certificate()).contains("does not belong to certificate",
                    "fix the file and reload");
            assertThat(ours.ipsecctl("status").check().out()).contains("cannot use its certificates");
        }
    }

    /** ipsecd initiates, a ping crosses, down; then strongSwan initiates, a ping crosses, down. */
    static void bothRoles(Lab lab, Ipsecd ours, StrongSwan theirs) {
        for (boolean weInitiate : List.of(true, false)) {
            try {
                if (weInitiate) {
                    ours.initiate("s2s", "net", UP);
                } else {
                    theirs.initiate("s2s", "net", UP);
                }
                assertThat(Waits.await(() -> ours.listSas().size() == 1 && theirs.listSas().size() == 1, UP))
                        .as((weInitiate ? "ipsecd" : "strongSwan") + " initiated: one IKE SA on each side" + lab.logTails(3000))
                        .isTrue();
                assertThat(pings(lab, "-4", lab.cloud().hostAddress().v4()) && pings(lab, "-6", lab.cloud().hostAddress().v6()))
                        .as("pings through the tunnel" + lab.logTails(3000)).isTrue();
            } finally {
                ours.terminate("s2s");
                Waits.await(() -> ours.listSas().isEmpty() && theirs.listSas().isEmpty(), UP);
            }
        }
    }

    static boolean pings(Lab lab, String family, String target) {
        return Waits.await(() -> Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", family,
                "-n", "-c", "1", "-W", "1", target)), Map.of()).ok(), Duration.ofSeconds(10));
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code file} gained after its first {@code from} bytes. */
    static String since(Path file, long from) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
