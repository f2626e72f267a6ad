package io.ipsecd.dataplane;

import io.ipsecd.esp.SaParameters;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One direction of a Child SA as the data plane installs it.
 *
 * @param policyId the policy this SA serves: an inbound SA only delivers packets that policy's
 *     selectors allow; an outbound SA is used once a policy points at its SPI
 * @param esp SPI, transform, keys (the data plane's to zero once the SA is deleted), ESN, window,
 *     byte/packet lifetimes
 * @param local our outer address (and port 4500 with UDP encapsulation)
 * @param remote the peer's outer address (and NAT-T port)
 * @param udpEncapsulation ESP in UDP (RFC 3948) rather than raw IP protocol 50; inbound packets
 *     arriving on the other transport are dropped
 */
public record SaInstall(int policyId, SaParameters esp, InetSocketAddress local, InetSocketAddress remote,
                        boolean udpEncapsulation) {
  public SaInstall {
    Objects.requireNonNull(esp, "esp");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
  }
}
