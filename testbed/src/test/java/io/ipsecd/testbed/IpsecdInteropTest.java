package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ipsecd against strongSwan at the SA level (IpsecdTrafficTest carries traffic): 5.9.8 in both
 * roles with the five reference proposals, 6.1.0 with the first two, DELETE in both directions,
 * additional children with and without PFS, and the admin messages for the three classic
 * misconfigurations. ipsecd runs on corp-gw, strongSwan on cloud-gw.
 */
@Testbed
class IpsecdInteropTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final String PSK = "a-long-random-shared-secret-0123456789";

    /** IKE proposal, ESP proposal, IKE algorithms and child algorithms as both sides list them. */
    private static final List<List<String>> PROPOSALS = List.of(
            List.of("aes256gcm16-prfsha384-x25519", "aes256gcm16", "AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519",
                    "AES_GCM_16-256"),
            List.of("aes128gcm16-prfsha256-ecp256", "aes128gcm16", "AES_GCM_16-128/PRF_HMAC_SHA2_256/ECP_256",
                    "AES_GCM_16-128"),
            List.of("aes256-sha256-modp2048", "aes256-sha256", "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
                    "AES_CBC-256/HMAC_SHA2_256_128"),
            List.of("chacha20poly1305-prfsha256-x25519", "chacha20poly1305",
                    "CHACHA20_POLY1305/PRF_HMAC_SHA2_256/CURVE_25519", "CHACHA20_POLY1305"),
            List.of("aes256gcm16-prfsha512-ecp521", "aes256gcm16", "AES_GCM_16-256/PRF_HMAC_SHA2_512/ECP_521",
                    "AES_GCM_16-256"));

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    private static TunnelConfig tunnel(Site local, Site remote, String ike, String esp, String psk, List<String> localTs,
                                       List<String> remoteTs) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of(ike), new TunnelConfig.Psk(psk),
                List.of(new Child("net", localTs, remoteTs, List.of(esp), TunnelConfig.StartAction.NONE)));
    }

    private static TunnelConfig tunnel(Site local, Site remote, String ike, String esp) {
        return tunnel(local, remote, ike, esp, PSK, List.of(local.lan().v4(), local.lan().v6()),
                List.of(remote.lan().v4(), remote.lan().v6()));
    }

    @Test
    void ipsecdInitiatesAllFiveProposalsAndSeesStrongSwansDelete() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            for (List<String> p : PROPOSALS) {
                theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), p.get(0), p.get(1))));
                ours.load(List.of(tunnel(lab.corp(), lab.cloud(), p.get(0), p.get(1))));
                ours.initiate("s2s", "net", UP);
                agree(lab, ours, theirs, true, p.get(2), p.get(3));
                theirs.terminate("s2s");
                assertThat(Waits.await(() -> ours.listSas().isEmpty(), UP)).as(p.get(0) + ": strongSwan's DELETE removed "
                        + "our SAs" + lab.logTails(3000)).isTrue();
            }
        }
    }

    @Test
    void strongSwanInitiatesAllFiveProposalsAndSeesOurDelete() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            for (List<String> p : PROPOSALS) {
                ours.load(List.of(tunnel(lab.corp(), lab.cloud(), p.get(0), p.get(1))));
                theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), p.get(0), p.get(1))));
                theirs.initiate("s2s", "net", UP);
                agree(lab, ours, theirs, false, p.get(2), p.get(3));
                ours.terminate("s2s");
                assertThat(Waits.await(() -> theirs.listSas().isEmpty() && ours.listSas().isEmpty(), UP))
                        .as(p.get(0) + ": our DELETE removed strongSwan's SAs" + lab.logTails(3000)).isTrue();
            }
        }
    }

    @Test
    void rekeyingOfChildAndIkeSaFromEitherSide() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            List<String> p = PROPOSALS.get(1);
            theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), p.get(0), p.get(1))));
            ours.load(List.of(tunnel(lab.corp(), lab.cloud(), p.get(0), p.get(1))));
            ours.initiate("s2s", "net", UP);
            agree(lab, ours, theirs, true, p.get(2), p.get(3));
            IkeSa before = theirs.listSas().getFirst();

            theirs.swanctl(UP, "--rekey", "--child", "net").check();
            assertThat(Waits.await(() -> {
                List<IkeSa> a = ours.listSas();
                List<IkeSa> b = theirs.listSas();
                return a.size() == 1 && a.getFirst().children().size() == 1 && b.size() == 1
                        && b.getFirst().children().size() == 1
                        && !b.getFirst().children().getFirst().spiIn().equals(before.children().getFirst().spiIn())
                        && a.getFirst().children().getFirst().spiIn().equals(b.getFirst().children().getFirst().spiOut());
            }, UP)).as("child rekeyed on both sides: " + ours.listSas() + "\n" + theirs.listSas()).isTrue();

            theirs.swanctl(UP, "--rekey", "--ike", "s2s").check();
            assertThat(Waits.await(() -> {
                List<IkeSa> a = ours.listSas();
                List<IkeSa> b = theirs.listSas();
                return a.size() == 1 && b.size() == 1 && !b.getFirst().spiInitiator().equals(before.spiInitiator())
                        && a.getFirst().spiInitiator().equals(b.getFirst().spiInitiator())
                        && a.getFirst().children().size() == 1;
            }, UP)).as("IKE SA rekeyed on both sides: " + ours.listSas() + "\n" + theirs.listSas()).isTrue();
            agree(lab, ours, theirs, false, p.get(2), p.get(3));

            // Now ipsecd rekeys: the child, then the IKE SA (ipsecctl rekey).
            IkeSa middle = theirs.listSas().getFirst();
            ours.ipsecctl("rekey", "s2s/net").check();
            assertThat(Waits.await(() -> {
                List<IkeSa> a = ours.listSas();
                List<IkeSa> b = theirs.listSas();
                return a.size() == 1 && a.getFirst().children().size() == 1 && b.size() == 1
                        && b.getFirst().children().size() == 1
                        && !b.getFirst().children().getFirst().spiIn().equals(middle.children().getFirst().spiIn())
                        && a.getFirst().children().getFirst().spiIn().equals(b.getFirst().children().getFirst().spiOut());
            }, UP)).as("our child rekey: " + ours.listSas() + "\n" + theirs.listSas()).isTrue();
            ours.ipsecctl("rekey", "s2s").check();
            assertThat(Waits.await(() -> {
                List<IkeSa> a = ours.listSas();
                List<IkeSa> b = theirs.listSas();
                return a.size() == 1 && b.size() == 1 && !b.getFirst().spiInitiator().equals(middle.spiInitiator())
                        && a.getFirst().spiInitiator().equals(b.getFirst().spiInitiator())
                        && b.getFirst().children().size() == 1;
            }, UP)).as("our IKE rekey: " + ours.listSas() + "\n" + theirs.listSas()).isTrue();
            agree(lab, ours, theirs, true, p.get(2), p.get(3));

            // The rekeyed IKE SA works: a DELETE over it reaches strongSwan.
            ours.terminate("s2s");
            assertThat(Waits.await(() -> theirs.listSas().isEmpty(), UP)).as(lab.logTails(3000)).isTrue();
        }
    }

    @Test
    void overIpv6OuterAddressesInBothRoles() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            List<String> p = PROPOSALS.getFirst();
            theirs.load(List.of(ipv6(lab.cloud(), lab.corp(), p)));
            ours.load(List.of(ipv6(lab.corp(), lab.cloud(), p)));
            ours.initiate("s2s", "net", UP);
            agree(lab, ours, theirs, true, p.get(2), p.get(3));
            assertThat(ours.listSas().getFirst().remoteHost()).isEqualTo(lab.cloud().wanAddress().v6());
            theirs.terminate("s2s");
            assertThat(Waits.await(() -> ours.listSas().isEmpty(), UP)).isTrue();
            theirs.initiate("s2s", "net", UP);
            agree(lab, ours, theirs, false, p.get(2), p.get(3));
        }
    }

    private static TunnelConfig ipv6(Site local, Site remote, List<String> p) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v6(), local.name()),
                new Endpoint(remote.wanAddress().v6(), remote.name()), List.of(p.get(0)), new TunnelConfig.Psk(PSK),
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), List.of(p.get(1)), TunnelConfig.StartAction.NONE)));
    }

    @Test
    void strongSwan610InBothRolesWithTheFirstTwoProposals() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V6_1_0);
            for (List<String> p : PROPOSALS.subList(0, 2)) {
                theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), p.get(0), p.get(1))));
                ours.load(List.of(tunnel(lab.corp(), lab.cloud(), p.get(0), p.get(1))));
                ours.initiate("s2s", "net", UP);
                agree(lab, ours, theirs, true, p.get(2), p.get(3));
                theirs.terminate("s2s");
                assertThat(Waits.await(() -> ours.listSas().isEmpty(), UP)).as(lab.logTails(3000)).isTrue();

                theirs.initiate("s2s", "net", UP);
                agree(lab, ours, theirs, false, p.get(2), p.get(3));
                ours.terminate("s2s");
                assertThat(Waits.await(() -> theirs.listSas().isEmpty(), UP)).as(lab.logTails(3000)).isTrue();
            }
        }
    }

    @Test
    void additionalChildrenComeUpOverCreateChildSaWithAndWithoutPfsInBothRoles() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            theirs.load(List.of(threeChildren(lab.cloud(), lab.corp())));
            ours.load(List.of(threeChildren(lab.corp(), lab.cloud())));

            ours.initiate("s2s", "net", UP); // up s2s: net in IKE_AUTH, pfs and nopfs by CREATE_CHILD_SA
            assertThat(Waits.await(() -> children(ours) == 3 && children(theirs) == 3, UP)).as(lab.logTails(3000)).isTrue();
            childrenAgree(ours, theirs);
            ours.terminate("s2s");
            assertThat(Waits.await(() -> theirs.listSas().isEmpty() && ours.listSas().isEmpty(), UP)).isTrue();

            theirs.initiate("s2s", "net", UP);
            theirs.initiate("s2s", "pfs", UP);
            theirs.initiate("s2s", "nopfs", UP);
            assertThat(Waits.await(() -> children(ours) == 3 && children(theirs) == 3, UP)).as(lab.logTails(3000)).isTrue();
            childrenAgree(ours, theirs);
        }
    }

    /**
     * Three children on one IKE SA: IPv4 in IKE_AUTH, IPv6 with PFS, and IPv4 UDP port 5000 without.
     * The selectors stay inside the LANs: strongSwan's libipsec needs a local address to route them.
     */
    private static TunnelConfig threeChildren(Site local, Site remote) {
        String udp = "[udp/5000]";
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk(PSK), List.of(
                        new Child("net", List.of(local.lan().v4()), List.of(remote.lan().v4()), List.of("aes256gcm16"),
                                TunnelConfig.StartAction.NONE),
                        new Child("pfs", List.of(local.lan().v6()), List.of(remote.lan().v6()),
                                List.of("aes128gcm16-ecp256"), TunnelConfig.StartAction.NONE),
                        new Child("nopfs", List.of(local.lan().v4() + udp), List.of(remote.lan().v4() + udp),
                                List.of("aes256-sha256"), TunnelConfig.StartAction.NONE)));
    }

    private static int children(Gateway g) {
        return g.listSas().stream().mapToInt(s -> s.children().size()).sum();
    }

    private static void childrenAgree(Ipsecd ours, StrongSwan theirs) {
        List<ChildSa> a = ours.listSas().getFirst().children();
        List<ChildSa> b = theirs.listSas().getFirst().children();
        for (ChildSa x : a) {
            ChildSa y = b.stream().filter(c -> c.spiOut().equals(x.spiIn())).findFirst().orElseThrow(
                    () -> new AssertionError("no strongSwan child with spi-out " + x.spiIn() + " in " + b));
            assertThat(y.spiIn()).isEqualTo(x.spiOut());
            assertThat(x.algorithms()).as(x + " vs " + y).isEqualTo(y.algorithms());
            assertThat(x.localTs()).containsExactlyInAnyOrderElementsOf(y.remoteTs());
        }
        assertThat(a).extracting(ChildSa::algorithms).containsExactlyInAnyOrder("AES_GCM_16-256",
                "AES_GCM_16-128/ECP_256", "AES_CBC-256/HMAC_SHA2_256_128");
    }

    /** SPIs, algorithms and selectors agree between {@code ipsecctl list-sas --json} and {@code swanctl --list-sas --raw}. */
    private static void agree(Lab lab, Ipsecd ours, StrongSwan theirs, boolean weInitiated, String ikeAlgs,
                              String childAlgs) {
        assertThat(Waits.await(() -> theirs.listSas().stream().anyMatch(s -> s.established() && !s.children().isEmpty()), UP))
                .as("strongSwan up" + lab.logTails(3000)).isTrue();
        IkeSa a = ours.listSas().getFirst();
        IkeSa b = theirs.listSas().getFirst();
        String why = "ours " + a + "\ntheirs " + b;
        assertThat(a.established()).as(why).isTrue();
        assertThat(a.spiInitiator()).as(why).isEqualTo(b.spiInitiator());
        assertThat(a.spiResponder()).as(why).isEqualTo(b.spiResponder());
        assertThat(a.algorithms()).as(why).isEqualTo(ikeAlgs);
        assertThat(b.algorithms()).as(why).isEqualTo(ikeAlgs);
        assertThat(a.remoteId()).as(why).isEqualTo("cloud");
        assertThat(b.remoteId()).as(why).isEqualTo("corp");
        ChildSa x = a.children().getFirst();
        ChildSa y = b.children().getFirst();
        assertThat(x.installed()).as(why).isTrue();
        assertThat(x.spiIn()).as(why).isEqualTo(y.spiOut());
        assertThat(x.spiOut()).as(why).isEqualTo(y.spiIn());
        assertThat(x.algorithms()).as(why).isEqualTo(childAlgs);
        assertThat(y.algorithms()).as(why).isEqualTo(childAlgs);
        assertThat(x.localTs()).as(why).containsExactlyInAnyOrderElementsOf(y.remoteTs());
        assertThat(x.remoteTs()).as(why).containsExactlyInAnyOrderElementsOf(y.localTs());
        assertThat(x.localTs()).as(why).contains(lab.corp().lan().v4());
        assertThat(x.encapsulated()).as(why).isEqualTo(y.encapsulated());
    }

    @Test
    void misconfigurationsFailWithTheAdminMessageOnOurSide() {
        try (Lab lab = Topologies.siteToSite()) {
            Site corp = lab.corp();
            Site cloud = lab.cloud();
            Ipsecd ours = Ipsecd.start(lab, corp);
            StrongSwan theirs = StrongSwan.start(lab, cloud, StrongSwanVersion.V5_9_8);
            String ike = "aes256gcm16-prfsha384-x25519";

            // Wrong PSK, strongSwan initiating: we verify its AUTH.
            ours.load(List.of(tunnel(corp, cloud, ike, "aes256gcm16", "not-the-same-secret-0123456789",
                    List.of(corp.lan().v4()), List.of(cloud.lan().v4()))));
            theirs.load(List.of(tunnel(cloud, corp, ike, "aes256gcm16", PSK, List.of(cloud.lan().v4()),
                    List.of(corp.lan().v4()))));
            failToInitiate(theirs);
            assertThat(lastError(ours, false)).isEqualTo("authentication failed: PSK mismatch with "
                    + cloud.wanAddress().v4() + " (id cloud)");

            // Wrong PSK, ipsecd initiating: strongSwan refuses our AUTH.
            ours.ipsecctl("up", "s2s").check();
            assertThat(Waits.await(() -> lastError(ours, false).contains("refused our AUTH"), UP)).isTrue();
            assertThat(lastError(ours, false)).startsWith("authentication failed: PSK mismatch with "
                    + cloud.wanAddress().v4() + " (id cloud)");

            // Disjoint proposals.
            ours.load(List.of(tunnel(corp, cloud, "aes128gcm16-prfsha256-ecp256", "aes256gcm16", PSK,
                    List.of(corp.lan().v4()), List.of(cloud.lan().v4()))));
            failToInitiate(theirs);
            assertThat(lastError(ours, false)).isEqualTo("proposal mismatch: peer " + cloud.wanAddress().v4()
                    + " offered [aes256gcm16-prfsha384-x25519], we accept [aes128gcm16-prfsha256-ecp256]");

            // Disjoint selectors.
            ours.load(List.of(tunnel(corp, cloud, ike, "aes256gcm16", PSK, List.of("10.9.0.0/16"),
                    List.of(cloud.lan().v4()))));
            failToInitiate(theirs);
            assertThat(lastError(ours, true)).isEqualTo("traffic selectors: peer proposed " + corp.lan().v4() + " <-> "
                    + cloud.lan().v4() + ", configured 10.9.0.0/16 <-> " + cloud.lan().v4());
        }
    }

    private static void failToInitiate(StrongSwan theirs) {
        try {
            theirs.initiate("s2s", "net", Duration.ofSeconds(10));
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("strongSwan brought the tunnel up despite the misconfiguration");
    }

    /** The last error of connection s2s (or of its child net) from {@code ipsecctl status --json}. */
    private static String lastError(Ipsecd ours, boolean child) {
        long deadline = System.nanoTime() + UP.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            JsonNode status = ours.status();
            JsonNode conn = (status.has("result") ? status.get("result") : status).path("connections").get(0);
            JsonNode error = child ? conn.path("children").get(0).path("lastError") : conn.path("lastError");
            text = error.path("message").asText("");
            if (!text.isEmpty()) {
                return text;
            }
            Exec.sleep(200);
        }
        return text;
    }
}
