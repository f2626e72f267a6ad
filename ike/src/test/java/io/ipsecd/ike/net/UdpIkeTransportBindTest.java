package io.ipsecd.ike.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpIkeTransportBindTest {
    @Test
    void anAddressThatIsNotOursSaysWhatToCheck() {
        // 192.0.2.0/24 is documentation space: never an address of a test host.
        assertThatThrownBy(() -> UdpIkeTransport.open(List.of(InetAddress.ofLiteral("192.0.2.1")), 0, 0,
                (at, from, data) -> { }).close())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot bind IKE socket 192.0.2.1")
                .hasMessageContaining("is it an address of this host?");
    }

    @Test
    void aPortInUseNamesTheUsualCulprits() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.ofLiteral("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> UdpIkeTransport.open(List.of(InetAddress.ofLiteral("127.0.0.1")), port, 0,
                    (at, from, data) -> { }).close())
                    .hasMessageContaining("cannot bind IKE socket 127.0.0.1:" + port)
                    .hasMessageContaining("ss -ulpn");
        }
    }
}
