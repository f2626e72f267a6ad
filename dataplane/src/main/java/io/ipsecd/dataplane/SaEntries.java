package io.ipsecd.dataplane;

import io.ipsecd.dataplane.net.RawEspSocket;
import io.ipsecd.esp.InboundSa;
import io.ipsecd.esp.OutboundSa;
import io.ipsecd.dataplane.net.UdpGsoSocket;

/** What the tables hold per SA: the transform state plus where its packets go. */
final class SaEntries {
  private SaEntries() {}

  /**
   * An outbound SA. {@code maxInner} is the largest inner packet that fits the outer MTU with this
   * SA's transform and encapsulation; {@code rawPeer} is null with UDP encapsulation.
   */
  record Outbound(SaInstall install, OutboundSa sa, int maxInner, UdpGsoSocket.Peer udpPeer,
                  RawEspSocket.Peer rawPeer, OnceFlag hardReported) {
    int spi() {
      return install.esp().spi();
    }
  }

  /** An inbound SA; only the decrypting thread of its transport touches {@code sa}. */
  record Inbound(SaInstall install, InboundSa sa, OnceFlag softReported, OnceFlag hardReported) {
    int spi() {
      return install.esp().spi();
    }

    boolean udp() {
      return install.udpEncapsulation();
    }
  }

  /** A once-only flag written by the owning worker, so an expiry is reported once. */
  static final class OnceFlag {
    private boolean set;

    /** True the first time. */
    boolean raise() {
      if (set) {
        return false;
      }
      set = true;
      return true;
    }
  }
}
