package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hybrid post-quantum IKE (RFC 9370 multiple key exchanges over RFC 9242 IKE_INTERMEDIATE, ML-KEM
 * as ke1) between ipsecd on corp-gw and real strongSwan 6.1.0 (the sid container) on cloud-gw,
 * ipsecd in both roles: both reference proposals bring a tunnel up that carries pings, with the
 * IKE_INTERMEDIATE messages fragmented in both directions (both sides send fragments of at most
 * {@link #FRAGMENT_SIZE} bytes, and one ML-KEM key or ciphertext alone is larger); a Child SA
 * rekey with x25519 + ML-KEM-768 PFS and an IKE SA rekey with the ML-KEM-768 additional key
 * exchange (both over IKE_FOLLOWUP_KE) from either side; and a classical additional key
 * exchange (x25519 then ecp384) against 6.1.0 and 6.0.1 (the trixie container). strongSwan's log
 * is the witness for fragments and follow-up exchanges: only it shows what went over the wire.
 * One lab for the class; each case reloads both sides ({@code swanctl --load-all}, {@code ipsecctl
 * reload}).
 */
@Testbed
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostQuantumInteropTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final String PSK = "a-long-random-shared-secret-0123456789";
    /** The largest IKE fragment either side sends (IP datagram); ML-KEM-768's 1184-byte key never fits. */
    private static final int FRAGMENT_SIZE = 1000;
    private static final String HYBRID_768 = "aes256gcm16-prfsha384-x25519-ke1_mlkem768";
    private static final String HYBRID_768_ALGS = "AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768";

    private Lab lab;
    private Ipsecd ours;
    private StrongSwan theirs;
    private boolean oursRunning;

    @BeforeAll
    void lab() {
        Ipsecd.assumePackaged();
        lab = Topologies.siteToSite();
        ours = Ipsecd.start(lab, lab.corp()).withIkeOptions("fragment_size: " + FRAGMENT_SIZE);
        theirs = strongSwan(StrongSwanVersion.V6_1_0);
    }

    @AfterAll
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private StrongSwan strongSwan(StrongSwanVersion version) {
        return StrongSwan.start(lab, lab.cloud(), version, StrongSwan.fragmentSize(FRAGMENT_SIZE));
    }

    @ParameterizedTest(name = "{0}")
    @Order(1)
    @CsvSource({
            HYBRID_768 + ", " + HYBRID_768_ALGS,
            "aes256gcm16-prfsha512-ecp384-ke1_mlkem1024, AES_GCM_16-256/PRF_HMAC_SHA2_512/ECP_384/KE1_ML_KEM_1024"})
    void hybridTunnelCarriesTrafficInBothRolesWithFragmentedIntermediate(String proposal, String algorithms) {
        configure(proposal, "aes256gcm16");

        long mark = logSize();
        up();
        agree(algorithms, "AES_GCM_16-256");
        pingsArrive();
        // strongSwan responded: it reassembled our fragmented request and fragmented its answer.
        assertLogged(mark, "IKE_INTERMEDIATE request 1 \\[ EF\\(1/\\d+\\) \\]", "parsed IKE_INTERMEDIATE request 1 [ EF(",
                "reassembled fragmented IKE message", "generating IKE_INTERMEDIATE response 1 [ EF(1/");
        theirs.terminate("s2s");
        bothDown();

        mark = logSize();
        theirs.initiate("s2s", "net", UP);
        agree(algorithms, "AES_GCM_16-256");
        pingsArrive();
        assertLogged(mark, "generating IKE_INTERMEDIATE request 1 \\[ EF\\(1/\\d+\\) \\]",
                "parsed IKE_INTERMEDIATE response 1 [ EF(", "reassembled fragmented IKE message");
        down();
        bothDown();
    }

    @Test
    @Order(2)
    void childRekeyWithMlKem768PfsFromEitherSide() {
        configure(HYBRID_768, "aes256gcm16-x25519-ke1_mlkem768");
        up();
        agree(HYBRID_768_ALGS, "AES_GCM_16-256"); // IKE_AUTH's child carries no key exchange
        String pfs = "AES_GCM_16-256/CURVE_25519/KE1_ML_KEM_768";

        ChildSa before = installed(theirs);
        long mark = logSize();
        ours.ipsecctl("rekey", "s2s/net").check();
        ChildSa rekeyed = awaitRekeyed(before, pfs);
        assertLogged(mark, "parsed CREATE_CHILD_SA request \\d+ \\[.*KE.*\\]", "IKE_FOLLOWUP_KE request",
                "generating IKE_FOLLOWUP_KE response");
        pingsArrive();

        mark = logSize();
        theirs.swanctl(UP, "--rekey", "--child", "net").check();
        awaitRekeyed(rekeyed, pfs);
        assertLogged(mark, "generating CREATE_CHILD_SA request \\d+ \\[.*KE.*\\]", "generating IKE_FOLLOWUP_KE request",
                "parsed IKE_FOLLOWUP_KE response");
        pingsArrive();
        down();
        bothDown();
    }

    @Test
    @Order(3)
    void ikeRekeyWithMlKem768AdditionalKeyExchangeFromEitherSide() {
        configure(HYBRID_768, "aes256gcm16");
        up();
        agree(HYBRID_768_ALGS, "AES_GCM_16-256");

        IkeSa before = theirs.listSas().getFirst();
        long mark = logSize();
        ours.ipsecctl("rekey", "s2s").check();
        IkeSa rekeyed = awaitIkeRekeyed(before);
        assertLogged(mark, "parsed CREATE_CHILD_SA request \\d+ \\[ SA No KE", "IKE_FOLLOWUP_KE request",
                "generating IKE_FOLLOWUP_KE response");
        pingsArrive();

        mark = logSize();
        theirs.swanctl(UP, "--rekey", "--ike", "s2s").check();
        awaitIkeRekeyed(rekeyed);
        assertLogged(mark, "generating CREATE_CHILD_SA request \\d+ \\[ SA No KE", "generating IKE_FOLLOWUP_KE request",
                "parsed IKE_FOLLOWUP_KE response");
        pingsArrive();
        down();
        bothDown();
    }

    @Test
    @Order(4)
    void classicalAdditionalKeyExchangeAgainst610And601() {
        String proposal = "aes256gcm16-prfsha384-x25519-ke1_ecp384";
        String algorithms = "AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ECP_384";
        for (StrongSwanVersion version : List.of(StrongSwanVersion.V6_1_0, StrongSwanVersion.V6_0_1)) {
            if (theirs.version() != version) {
                theirs.kill();
                theirs = strongSwan(version);
            }
            configure(proposal, "aes256gcm16");
            up();
            agree(algorithms, "AES_GCM_16-256");
            pingsArrive();
            theirs.terminate("s2s");
            bothDown();

            theirs.initiate("s2s", "net", UP);
            agree(algorithms, "AES_GCM_16-256");
            pingsArrive();
            down();
            bothDown();
        }
    }

    // ---- steps ----------------------------------------------------------------------------------

    private static TunnelConfig tunnel(Site local, Site remote, String ike, String esp) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of(ike), new TunnelConfig.Psk(PSK),
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), List.of(esp), TunnelConfig.StartAction.NONE)));
    }

    /** Both sides get the proposals: strongSwan by {@code --load-all}, ipsecd by {@code ipsecctl reload} once running. */
    private void configure(String ike, String esp) {
        theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), ike, esp)));
        List<TunnelConfig> mine = List.of(tunnel(lab.corp(), lab.cloud(), ike, esp));
        if (!oursRunning) {
            ours.load(mine);
            oursRunning = true;
        } else {
            ours.writeConfig(mine);
            ours.ipsecctl("reload").check();
        }
    }

    /**
     * ipsecd brings the tunnel up: over the control socket from this JVM, as every poll here, since
     * each ipsecctl run starts a JVM (seconds on a busy machine); rekey and reload use ipsecctl.
     */
    private void up() {
        ours.control("up", Map.of("name", "s2s"));
        assertThat(Waits.await(() -> ours.listSasNow().stream().anyMatch(s -> s.established()
                && s.children().stream().anyMatch(ChildSa::installed)), UP)).as("ipsecd up" + lab.logTails(3000)).isTrue();
    }

    private void down() {
        ours.control("down", Map.of("name", "s2s"));
    }

    private static List<IkeSa> sas(Gateway g) {
        return g instanceof Ipsecd d ? d.listSasNow() : g.listSas();
    }

    /** One IKE SA and one child on each side, the same SPIs, and the algorithms each side lists. */
    private void agree(String ikeAlgorithms, String childAlgorithms) {
        assertThat(Waits.await(() -> theirs.listSas().stream().anyMatch(s -> s.established()
                && s.children().stream().anyMatch(ChildSa::installed)), UP)).as("strongSwan up" + lab.logTails(3000)).isTrue();
        IkeSa a = ours.listSasNow().getFirst();
        IkeSa b = theirs.listSas().getFirst();
        String why = "ours " + a + "\ntheirs " + b + lab.logTails(3000);
        assertThat(a.established()).as(why).isTrue();
        assertThat(a.spiInitiator()).as(why).isEqualTo(b.spiInitiator());
        assertThat(a.spiResponder()).as(why).isEqualTo(b.spiResponder());
        assertThat(b.algorithms()).as(why).isEqualTo(ikeAlgorithms);
        assertThat(a.algorithms()).as(why).isEqualTo(ikeAlgorithms);
        ChildSa x = installed(ours);
        ChildSa y = installed(theirs);
        assertThat(x.spiIn()).as(why).isEqualTo(y.spiOut());
        assertThat(x.spiOut()).as(why).isEqualTo(y.spiIn());
        assertThat(y.algorithms()).as(why).isEqualTo(childAlgorithms);
        assertThat(x.algorithms()).as(why).isEqualTo(childAlgorithms);
    }

    private static ChildSa installed(Gateway g) {
        List<ChildSa> up = sas(g).stream().flatMap(s -> s.children().stream()).filter(ChildSa::installed).toList();
        assertThat(up).as(g.describe() + " has one installed child").hasSize(1);
        return up.getFirst();
    }

    /**
     * A new child replaced {@code old} on both sides: new SPIs that pair up, the old ones gone, and
     * the rekey's key exchanges in what both list.
     */
    private ChildSa awaitRekeyed(ChildSa old, String algorithms) {
        boolean done = Waits.await(() -> {
            Optional<ChildSa> b = theirs.listSas().stream().flatMap(s -> s.children().stream())
                    .filter(c -> c.installed() && !c.spiIn().equals(old.spiIn())).findFirst();
            List<ChildSa> a = ours.listSasNow().stream().flatMap(s -> s.children().stream()).toList();
            return b.isPresent() && a.size() == 1 && a.getFirst().spiIn().equals(b.get().spiOut())
                    && a.getFirst().spiOut().equals(b.get().spiIn())
                    && theirs.listSas().stream().flatMap(s -> s.children().stream()).filter(ChildSa::installed).count() == 1;
        }, UP);
        assertThat(done).as("child rekeyed on both sides: ours " + ours.listSasNow() + "\ntheirs " + theirs.listSas()
                + lab.logTails(3000)).isTrue();
        ChildSa x = installed(ours);
        ChildSa y = installed(theirs);
        assertThat(y.algorithms()).as("strongSwan's rekeyed child " + y).isEqualTo(algorithms);
        assertThat(x.algorithms()).as("our rekeyed child " + x).isEqualTo(algorithms);
        return y;
    }

    /**
     * A new IKE SA replaced {@code old} on both sides (the same new SPIs, the old one gone), with
     * the hybrid key exchanges and the child moved over.
     */
    private IkeSa awaitIkeRekeyed(IkeSa old) {
        boolean done = Waits.await(() -> {
            List<IkeSa> a = ours.listSasNow();
            List<IkeSa> b = theirs.listSas();
            return a.size() == 1 && b.size() == 1 && b.getFirst().established()
                    && !b.getFirst().spiInitiator().equals(old.spiInitiator())
                    && a.getFirst().spiInitiator().equals(b.getFirst().spiInitiator())
                    && a.getFirst().spiResponder().equals(b.getFirst().spiResponder());
        }, UP);
        assertThat(done).as("IKE SA rekeyed on both sides: ours " + ours.listSasNow() + "\ntheirs " + theirs.listSas()
                + lab.logTails(3000)).isTrue();
        agree(HYBRID_768_ALGS, "AES_GCM_16-256");
        return theirs.listSas().getFirst();
    }

    private void pingsArrive() {
        List<Probe.PingResult> pings = HostProbes.ping(lab.corp(), lab.cloud(), new Probe.Ping(3, 0.1), "pq-interop-marker");
        for (Probe.PingResult p : pings) {
            assertThat(p.received()).as(p + lab.logTails(2000)).isEqualTo(p.sent());
        }
    }

    private void bothDown() {
        assertThat(Waits.await(() -> ours.listSasNow().isEmpty() && theirs.listSas().isEmpty(), UP))
                .as("both sides deleted their SAs: ours " + ours.listSasNow() + "\ntheirs " + theirs.listSas()).isTrue();
    }

    // ---- strongSwan's log -----------------------------------------------------------------------

    private long logSize() {
        try {
            return Files.exists(theirs.log()) ? Files.size(theirs.log()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logSince(long mark) {
        try (RandomAccessFile f = new RandomAccessFile(theirs.log().toFile(), "r")) {
            byte[] b = new byte[(int) Math.max(0, f.length() - mark)];
            f.seek(mark);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each expectation is a plain substring, or a regex when it contains a backslash. */
    private void assertLogged(long mark, String... expectations) {
        String log = logSince(mark);
        for (String e : expectations) {
            boolean found = e.contains("\\") ? Pattern.compile(e).matcher(log).find() : log.contains(e);
            assertThat(found).as("strongSwan logged '" + e + "' since the case began:\n" + log).isTrue();
        }
    }
}
