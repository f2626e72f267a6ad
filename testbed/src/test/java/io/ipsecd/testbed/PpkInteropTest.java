package io.ipsecd.testbed;

import static io.ipsecd.testbed.PpkTest.PPK_ID;
import static io.ipsecd.testbed.PpkTest.UP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8784 PPK interop with strongSwan 5.9.8 ({@code ppk_id}, {@code ppk_required} and a {@code
 * ppk} secret), PPK required on both sides: with ipsecd initiating the tunnel carries a ping,
 * strongSwan logs that it uses the PPK, and a Child and an IKE rekey started by strongSwan (both
 * keyed from SK_d') agree on both sides and still carry a ping; then strongSwan initiates and the
 * PPK tunnel carries a ping again.
 */
@Testbed
class PpkInteropTest {
    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void ipsecdAndStrongSwan598UseTheSamePpkInBothRolesAcrossRekeys() throws IOException {
        String psk = HexFormat.of().formatHex(Waits.randomBytes(24));
        String ppk = HexFormat.of().formatHex(Waits.randomBytes(32));
        try (Lab lab = Topologies.siteToSite()) {
            Path corpPpk = PpkTest.secretFile(lab.dir("ppk").resolve("corp.ppk"), ppk);
            Ipsecd ours = Ipsecd.start(lab, lab.corp()).withConnectionOptions(PpkTest.ppkBlock(corpPpk));
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            loadWithPpk(theirs, PpkTest.tunnel(lab.cloud(), lab.corp(), psk), ppk);
            ours.load(List.of(PpkTest.tunnel(lab.corp(), lab.cloud(), psk)));

            ours.initiate("s2s", "net", UP);
            assertThat(Waits.await(() -> PpkTest.pingsThrough(lab), Duration.ofSeconds(10))).as("ping, ipsecd initiating"
                    + lab.logTails(3000)).isTrue();
            assertThat(Files.readString(theirs.log())).contains("using PPK for PPK_ID '" + PPK_ID + "'");
            assertThat(PpkTest.log(ours)).contains("uses PPK '" + PPK_ID + "' (RFC 8784)");

            // Rekeys derive from SK_d' on both sides: they only agree when both mixed the same PPK in.
            String childBefore = theirs.listSas().getFirst().children().getFirst().spiIn();
            theirs.swanctl(UP, "--rekey", "--child", "net").check();
            String ikeBefore = theirs.listSas().getFirst().spiInitiator();
            assertThat(Waits.await(() -> agreedChild(ours, theirs) != null
                    && !agreedChild(ours, theirs).equals(childBefore), UP)).as("child rekeyed on both sides").isTrue();
            theirs.swanctl(UP, "--rekey", "--ike", "s2s").check();
            assertThat(Waits.await(() -> {
                List<SaInfo.IkeSa> a = ours.listSas();
                List<SaInfo.IkeSa> b = theirs.listSas();
                return a.size() == 1 && b.size() == 1 && !b.getFirst().spiInitiator().equals(ikeBefore)
                        && a.getFirst().spiInitiator().equals(b.getFirst().spiInitiator());
            }, UP)).as("IKE SA rekeyed on both sides").isTrue();
            assertThat(Waits.await(() -> PpkTest.pingsThrough(lab), Duration.ofSeconds(10))).as("ping after the rekeys").isTrue();

            theirs.terminate("s2s");
            assertThat(Waits.await(() -> ours.listSas().isEmpty(), UP)).as("down").isTrue();
            theirs.initiate("s2s", "net", UP);
            assertThat(Waits.await(() -> PpkTest.pingsThrough(lab), Duration.ofSeconds(10))).as("ping, strongSwan initiating"
                    + lab.logTails(3000)).isTrue();
            assertThat(Files.readString(theirs.log()).split("using PPK for PPK_ID", -1)).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    /** The child's inbound SPI on strongSwan when both sides list exactly one matching Child SA, else null. */
    private static String agreedChild(Ipsecd ours, StrongSwan theirs) {
        List<SaInfo.IkeSa> a = ours.listSas();
        List<SaInfo.IkeSa> b = theirs.listSas();
        if (a.size() != 1 || b.size() != 1 || a.getFirst().children().size() != 1 || b.getFirst().children().size() != 1) {
            return null;
        }
        SaInfo.ChildSa c = a.getFirst().children().getFirst();
        SaInfo.ChildSa d = b.getFirst().children().getFirst();
        return c.spiIn().equals(d.spiOut()) && c.spiOut().equals(d.spiIn()) ? d.spiIn() : null;
    }

    /**
     * Loads the tunnel into strongSwan with ppk_id, ppk_required and a ppk secret added to the
     * swanctl.conf the testbed renders (the renderer knows no PPK).
     */
    private static void loadWithPpk(StrongSwan s, TunnelConfig tunnel, String ppk) throws IOException {
        s.load(List.of(tunnel));
        Path conf = s.log().resolveSibling("swanctl.conf");
        String text = Files.readString(conf);
        String withPpk = text.replace("    mobike = no\n", "    mobike = no\n    ppk_id = " + PPK_ID + "\n    ppk_required = yes\n")
                .replace("secrets {\n", "secrets {\n  ppk-lab {\n    secret = \"" + ppk + "\"\n    id = " + PPK_ID + "\n  }\n");
        assertThat(withPpk).contains("ppk_id", "ppk-lab");
        Files.writeString(conf, withPpk);
        s.swanctl(Duration.ofSeconds(30), "--load-all", "--file", conf.toString()).check();
    }
}
