package io.ipsecd.ike.port;

import io.ipsecd.esp.SaParameters;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One direction of a Child SA for the port: the ESP parameters (SPI, transform, keys, ESN,
 * replay window, byte/packet lifetimes), the outer addresses, and whether ESP travels in UDP
 * (RFC 3948, port 4500) or as raw IP protocol 50. Time lifetimes stay with IKE's scheduler.
 */
public record ChildSaInstall(int reqid, SaParameters esp, InetSocketAddress local, InetSocketAddress remote,
                             boolean udpEncapsulation) {
    public ChildSaInstall {
        Objects.requireNonNull(esp, "esp");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    public SaId id() {
        return new SaId(esp.spi(), esp.direction());
    }
}
