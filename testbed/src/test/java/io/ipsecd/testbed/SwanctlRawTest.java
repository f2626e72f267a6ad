package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses list-sas output captured from strongSwan 6.1.0 (sid container) in this testbed. */
class SwanctlRawTest {
    private static final String RAW = """
            list-sa event {corp-cloud {uniqueid=1 version=2 state=ESTABLISHED local-host=192.0.2.1 local-port=4500 \
            local-id=corp remote-host=192.0.2.2 remote-port=4500 remote-id=cloud initiator=yes \
            initiator-spi=ba45da72e098e994 responder-spi=332896ab05ef5c49 nat-remote=yes nat-any=yes encr-alg=AES_GCM_16 \
            encr-keysize=256 prf-alg=PRF_HMAC_SHA2_384 dh-group=CURVE_25519 ake1=ML_KEM_768 established=9 rekey-time=14174 \
            child-sas {net-1 {name=net uniqueid=1 reqid=1 state=INSTALLED mode=TUNNEL protocol=ESP encap=yes \
            spi-in=322e51db spi-out=4a46063f encr-alg=AES_GCM_16 encr-keysize=256 bytes-in=1606876 packets-in=26361 \
            use-in=1 bytes-out=237693136 packets-out=169796 use-out=1 rekey-time=3409 life-time=3951 install-time=9 \
            local-ts=[198.18.1.0/24 2001:db8:1::/64] remote-ts=[198.19.0.0/24 2001:db8:c::/64]}}}}
            list-sas reply {}
            """;

    @Test
    void parsesIkeAndChildSa() {
        List<IkeSa> sas = SwanctlRaw.parseListSas(RAW);
        assertThat(sas).hasSize(1);
        IkeSa ike = sas.getFirst();
        assertThat(ike.name()).isEqualTo("corp-cloud");
        assertThat(ike.established()).isTrue();
        assertThat(ike.spiInitiator()).isEqualTo("ba45da72e098e994");
        assertThat(ike.localHost()).isEqualTo("192.0.2.1");
        assertThat(ike.remoteId()).isEqualTo("cloud");
        assertThat(ike.algorithms()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768");
        ChildSa child = ike.children().getFirst();
        assertThat(child.name()).isEqualTo("net");
        assertThat(child.installed()).isTrue();
        assertThat(child.encapsulated()).isTrue();
        assertThat(child.spiIn()).isEqualTo("322e51db");
        assertThat(child.algorithms()).isEqualTo("AES_GCM_16-256");
        assertThat(child.bytesOut()).isEqualTo(237693136L);
        assertThat(child.packetsIn()).isEqualTo(26361L);
        assertThat(child.localTs()).containsExactly("198.18.1.0/24", "2001:db8:1::/64");
        assertThat(child.remoteTs()).containsExactly("198.19.0.0/24", "2001:db8:c::/64");
    }

    @Test
    void selectorsWithProtocolAndPortKeepTheirBrackets() {
        String raw = "list-sa event {s2s {state=ESTABLISHED child-sas {nopfs-3 {name=nopfs state=INSTALLED "
                + "local-ts=[198.18.1.0/24[udp/5000] 2001:db8:1::/64[tcp]] remote-ts=[198.19.0.0/24[udp/5000]]}}}}\n";
        ChildSa child = SwanctlRaw.parseListSas(raw).getFirst().children().getFirst();
        assertThat(child.localTs()).containsExactly("198.18.1.0/24[udp/5000]", "2001:db8:1::/64[tcp]");
        assertThat(child.remoteTs()).containsExactly("198.19.0.0/24[udp/5000]");
    }

    @Test
    void emptyListIsEmpty() {
        assertThat(SwanctlRaw.parseListSas("list-sas reply {}\n")).isEmpty();
    }
}
