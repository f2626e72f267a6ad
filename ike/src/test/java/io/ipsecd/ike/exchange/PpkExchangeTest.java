package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.conf.PpkSettings;
import io.ipsecd.conf.Secret;
import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.ike.port.ChildSaInstall;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * RFC 8784 post-quantum preshared keys between two negotiators: a matching PPK changes SK_d (and
 * so every Child SA key), a wrong one is refused with a message that names the PPK, and
 * {@code required} decides between refusing and falling back to plain IKEv2.
 */
class PpkExchangeTest {
    private static final String PPK = "post-quantum-preshared-key-0123456789";
    private static final String OTHER_PPK = "another-post-quantum-preshared-key-42";

    private static Connection plain(String local, String remote) {
        return ScriptedLab.connection(local, remote, "{ delay: 1h, timeout: 1h }", "none", ScriptedLab.PSK);
    }

    private static Connection withPpk(Connection c, String id, String ppk, boolean required) {
        return new Connection(c.name(), c.local(), c.remote(), c.psk(), c.ike(), c.children(), c.routeInterface(),
                Optional.of(new PpkSettings(id, Secret.of(ppk.getBytes(StandardCharsets.US_ASCII), "test"), required)));
    }

    /** A lab (seed 1) where corp initiates {@code corpConn} to cloud's {@code cloudConn}, run for one second. */
    private static ScriptedLab run(Connection corpConn, Connection cloudConn) {
        ScriptedLab lab = new ScriptedLab();
        lab.corp.connections(List.of(corpConn));
        lab.cloud.connections(List.of(cloudConn));
        lab.corp.initiate(corpConn, List.of());
        lab.run(Duration.ofSeconds(1));
        return lab;
    }

    private static IkeSa sa(Negotiator n) {
        List<IkeSa> sas = n.sas("s2s");
        assertThat(sas).hasSize(1);
        return sas.getFirst();
    }

    /** prf+ with HMAC-SHA-384 (the lab's PRF), written out here so the check does not use our Prf. */
    private static byte[] prfPlus(byte[] key, byte[] seed, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA384");
        mac.init(new SecretKeySpec(key, "HmacSHA384"));
        ByteBuffer out = ByteBuffer.allocate(length + 48);
        byte[] t = new byte[0];
        for (int i = 1; out.position() < length; i++) {
            mac.update(t);
            mac.update(seed);
            mac.update((byte) i);
            t = mac.doFinal();
            out.put(t);
        }
        return Arrays.copyOf(out.array(), length);
    }

    private static EspKeys outbound(MemoryPort port) {
        return port.sas.values().stream().map(ChildSaInstall::esp).filter(e -> e.direction() == SaDirection.OUTBOUND)
                .findFirst().orElseThrow().keys();
    }

    @Test
    void matchingPpkMixesIntoSkDAndEveryChildSaKey() throws Exception {
        ScriptedLab without = run(plain(CORP, CLOUD), plain(CLOUD, CORP));
        ScriptedLab with = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, true), withPpk(plain(CLOUD, CORP), "pq-1", PPK, true));

        assertThat(with.failures).isEmpty();
        assertThat(ScriptedLab.up(with.corp)).isTrue();
        assertThat(ScriptedLab.up(with.cloud)).isTrue();
        IkeSa plainSa = sa(without.corp);
        IkeSa ppkSa = sa(with.corp);
        assertThat(ppkSa.ni).as("same randomness in both runs").isEqualTo(plainSa.ni);
        assertThat(ppkSa.nr).isEqualTo(plainSa.nr);

        byte[] skD = plainSa.keys.skD().copy();
        byte[] expectedSkD = prfPlus(PPK.getBytes(StandardCharsets.US_ASCII), skD, skD.length);
        assertThat(ppkSa.keys.skD().contentEquals(expectedSkD)).as("SK_d' = prf+(PPK, SK_d)").isTrue();
        assertThat(sa(with.cloud).keys.skD().contentEquals(expectedSkD)).isTrue();
        assertThat(ppkSa.keys.skPi().contentEquals(prfPlus(PPK.getBytes(StandardCharsets.US_ASCII),
                plainSa.keys.skPi().copy(), skD.length))).as("SK_pi' = prf+(PPK, SK_pi)").isTrue();

        // The Child SA's KEYMAT = prf+(SK_d', Ni | Nr): corp's outbound SA holds the first key and salt.
        byte[] nonces = ByteBuffer.allocate(ppkSa.ni.length + ppkSa.nr.length).put(ppkSa.ni).put(ppkSa.nr).array();
        byte[] keymat = prfPlus(expectedSkD, nonces, 36);
        EspKeys corpOut = outbound(with.corpPort);
        assertThat(corpOut.encryptionKey()).isEqualTo(Arrays.copyOf(keymat, 32));
        assertThat(corpOut.salt()).isEqualTo(Arrays.copyOfRange(keymat, 32, 36));
        assertThat(corpOut.encryptionKey()).as("differs from the run without PPK")
                .isNotEqualTo(outbound(without.corpPort).encryptionKey());
    }

    /** s2s with the hybrid proposal x25519 + ML-KEM-768 (IKE_INTERMEDIATE), with or without a required PPK. */
    private static Connection hybrid(String local, String remote, boolean ppk) {
        boolean corp = local.equals(CORP);
        String yaml = """
                connections:
                  s2s:
                    local: { address: %s, id: %s }
                    remote: { address: "%s", id: %s }
                    psk: { env: PSK }
                %s    ike: { proposals: [aes256gcm16-prfsha384-x25519-ke1_mlkem768], dpd: { delay: 1h, timeout: 1h } }
                    children:
                      net: { local_ts: [%s], remote_ts: [%s], esp_proposals: [aes256gcm16], start: none }
                """.formatted(local, corp ? "corp" : "cloud", remote, corp ? "cloud" : "corp",
                ppk ? "    ppk: { id: pq-1, env: PPK, required: true }\n" : "", corp ? "10.1.0.0/24" : "10.2.0.0/24",
                corp ? "10.2.0.0/24" : "10.1.0.0/24");
        LoadResult r = ConfigLoader.parse(yaml, "lab.yaml", Path.of("/"),
                name -> name.equals("PSK") ? ScriptedLab.PSK : name.equals("PPK") ? PPK : null);
        if (!(r instanceof LoadResult.Valid valid)) {
            throw new AssertionError("lab config invalid: " + r + "\n" + yaml);
        }
        return valid.config().connections().get("s2s");
    }

    @Test
    void ppkMixesIntoTheKeysAfterTheIntermediateExchangesOfAHybridMlKemTunnel() throws Exception {
        ScriptedLab without = run(hybrid(CORP, CLOUD, false), hybrid(CLOUD, CORP, false));
        ScriptedLab with = run(hybrid(CORP, CLOUD, true), hybrid(CLOUD, CORP, true));

        assertThat(with.failures).isEmpty();
        assertThat(ScriptedLab.up(with.corp)).isTrue();
        assertThat(ScriptedLab.up(with.cloud)).isTrue();
        assertThat(with.sent(CORP, "IKE_INTERMEDIATE request")).isNotEmpty();
        byte[] skD = sa(without.corp).keys.skD().copy(); // SK_d after the ML-KEM exchange
        byte[] expected = prfPlus(PPK.getBytes(StandardCharsets.US_ASCII), skD, skD.length);
        assertThat(sa(with.corp).keys.skD().contentEquals(expected)).isTrue();
        assertThat(sa(with.cloud).keys.skD().contentEquals(expected)).isTrue();
    }

    @Test
    void childRekeysAfterAPpkTunnelDeriveFromSkDPrime() {
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, true), withPpk(plain(CLOUD, CORP), "pq-1", PPK, true));
        assertThat(lab.corp.rekey("s2s", Optional.of("net"))).isTrue();
        lab.run(Duration.ofSeconds(1));

        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.only(lab.corp).children().getFirst().rekeys()).isEqualTo(1);
        assertThat(ScriptedLab.only(lab.corp).authentication()).isEqualTo("pre-shared key, PPK 'pq-1'");
        assertThat(ScriptedLab.only(lab.cloud).authentication()).isEqualTo("pre-shared key, PPK 'pq-1'");
        // Both sides derived the new SA from their own SK_d': what corp sends is what cloud expects.
        int spi = ScriptedLab.only(lab.corp).children().getFirst().spiOut();
        EspKeys corpOut = lab.corpPort.sas.get(new io.ipsecd.ike.port.SaId(spi, SaDirection.OUTBOUND)).esp().keys();
        EspKeys cloudIn = lab.cloudPort.sas.get(new io.ipsecd.ike.port.SaId(spi, SaDirection.INBOUND)).esp().keys();
        assertThat(corpOut.encryptionKey()).isEqualTo(cloudIn.encryptionKey());
    }

    @Test
    void wrongRequiredPpkIsRefusedNamingThePpkWithoutTheSecret() {
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, true),
                withPpk(plain(CLOUD, CORP), "pq-1", OTHER_PPK, true));

        assertThat(lab.corp.snapshot()).isEmpty();
        assertThat(lab.cloud.snapshot()).isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: authentication failed")
                .contains("most likely a PPK mismatch", "tunnel s2s", "peer 192.0.2.1", "PPK 'pq-1'"));
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: ")
                .contains("the peer refused our AUTH", "PPK 'pq-1'", "most likely a PPK mismatch", "peer 192.0.2.2"));
        assertThat(lab.failures).noneMatch(f -> f.contains(PPK) || f.contains(OTHER_PPK));
    }

    @Test
    void wrongOptionalPpkIsStillRefusedAndNoPpkAuthShowsThePskIsFine() {
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, false),
                withPpk(plain(CLOUD, CORP), "pq-1", OTHER_PPK, false));

        assertThat(lab.cloud.snapshot()).isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: authentication failed: PPK mismatch")
                .contains("verifies without the PPK but not with ours", "PPK 'pq-1'"));
    }

    @Test
    void requiredPpkWithAPeerWithoutPpkFailsAfterIkeSaInit() {
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, true), plain(CLOUD, CORP));

        assertThat(lab.corp.snapshot()).isEmpty();
        assertThat(lab.sent(CORP, "IKE_AUTH")).isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: PPK required but not supported: peer "
                + "192.0.2.2 did not answer USE_PPK").contains("tunnel s2s", "'pq-1'", "ppk.required"));
    }

    @Test
    void responderRequiringAPpkRefusesAnInitiatorWithout() {
        ScriptedLab lab = run(plain(CORP, CLOUD), withPpk(plain(CLOUD, CORP), "pq-1", PPK, true));

        assertThat(lab.cloud.snapshot()).isEmpty();
        assertThat(lab.corp.snapshot()).isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("cloud: PPK required but not supported: peer "
                + "192.0.2.1 did not send USE_PPK"));
    }

    @Test
    void optionalPpkFallsBackToPlainKeysWhenThePeerHasNone() {
        ScriptedLab without = run(plain(CORP, CLOUD), plain(CLOUD, CORP));
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, false), plain(CLOUD, CORP));

        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(sa(lab.corp).keys.skD().contentEquals(sa(without.corp).keys.skD().copy())).isTrue();
        assertThat(outbound(lab.corpPort).encryptionKey()).isEqualTo(outbound(without.corpPort).encryptionKey());
        assertThat(ScriptedLab.only(lab.corp).authentication()).as("no PPK shown").isEqualTo("pre-shared key");
    }

    @Test
    void optionalPpksWithDifferentIdsFallBackThroughNoPpkAuth() {
        ScriptedLab without = run(plain(CORP, CLOUD), plain(CLOUD, CORP));
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, false),
                withPpk(plain(CLOUD, CORP), "pq-2", OTHER_PPK, false));

        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();
        assertThat(sa(lab.cloud).keys.skD().contentEquals(sa(without.cloud).keys.skD().copy())).isTrue();
        assertThat(sa(lab.corp).keys.skD().contentEquals(sa(without.corp).keys.skD().copy())).isTrue();
    }

    @Test
    void differentIdsAreRefusedWhenTheResponderRequiresItsPpk() {
        ScriptedLab lab = run(withPpk(plain(CORP, CLOUD), "pq-1", PPK, false),
                withPpk(plain(CLOUD, CORP), "pq-2", PPK, true));

        assertThat(lab.cloud.snapshot()).isEmpty();
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).isEqualTo("cloud: PPK required: peer 192.0.2.1 names "
                + "PPK 'pq-1', but tunnel s2s has PPK 'pq-2'; check ppk.id on both gateways"));
    }
}
