package io.ipsecd.ike.port;

import io.ipsecd.esp.SaDirection;

/** An SA as IKE names it: our SPI for inbound, the peer's for outbound. */
public record SaId(int spi, SaDirection direction) {
    @Override
    public String toString() {
        return String.format("%08x/%s", spi, direction);
    }
}
