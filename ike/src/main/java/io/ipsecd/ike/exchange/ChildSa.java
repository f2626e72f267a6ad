package io.ipsecd.ike.exchange;

import io.ipsecd.ike.exchange.Suites.EspSuite;
import io.ipsecd.ike.message.TrafficSelector;
import java.time.Instant;
import java.util.List;

/**
 * One installed Child SA of an IKE SA: both directions share the reqid and the policy. The SPIs,
 * suite and selectors never change; the rekeying state does, on the IKE event loop only.
 */
final class ChildSa {
    /** Where the SA is in its life: rekeying and deleting are what collisions are resolved against. */
    enum State { INSTALLED, REKEYING, REKEYED, DELETING }

    private final String name;
    private final long uniqueId;
    private final int reqid;
    private final int spiIn;
    private final int spiOut;
    private final EspSuite suite;
    private final boolean udpEncapsulation;
    private final List<TrafficSelector> localTs;
    private final List<TrafficSelector> remoteTs;
    private final Instant installed;
    /** When we rekey it (unless the peer does first). */
    Instant rekeyAt;
    /** Its hard time limit: deleted then unless rekeyed first; null until scheduled. */
    Instant expiresAt;
    State state = State.INSTALLED;
    /** How many rekeys led to this SA: its predecessor's count plus one. */
    final int rekeys;
    /** The nonces of the exchange that created it: a rekey collision keeps the SA with the higher ones. */
    final byte[] ni;
    final byte[] nr;
    /** Whether the policy sends on this SA; a rekey responder's new SA waits for the old one's DELETE. */
    boolean outboundActive;
    /** Lost a rekey collision: the peer's SA replaces the same old one, this goes. */
    boolean redundant;
    /** While we rekey this SA: the SA we created answering the peer's simultaneous rekey of it. */
    ChildSa peerReplacement;

    ChildSa(String name, long uniqueId, int reqid, int spiIn, int spiOut, EspSuite suite, boolean udpEncapsulation,
            List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, Instant installed, Instant rekeyAt,
            int rekeys, byte[] ni, byte[] nr) {
        this.name = name;
        this.uniqueId = uniqueId;
        this.reqid = reqid;
        this.spiIn = spiIn;
        this.spiOut = spiOut;
        this.suite = suite;
        this.udpEncapsulation = udpEncapsulation;
        this.localTs = List.copyOf(localTs);
        this.remoteTs = List.copyOf(remoteTs);
        this.installed = installed;
        this.rekeyAt = rekeyAt;
        this.rekeys = rekeys;
        this.ni = ni.clone();
        this.nr = nr.clone();
    }

    String name() {
        return name;
    }

    long uniqueId() {
        return uniqueId;
    }

    int reqid() {
        return reqid;
    }

    /** Ours, chosen by us. */
    int spiIn() {
        return spiIn;
    }

    /** The peer's. */
    int spiOut() {
        return spiOut;
    }

    EspSuite suite() {
        return suite;
    }

    boolean udpEncapsulation() {
        return udpEncapsulation;
    }

    List<TrafficSelector> localTs() {
        return localTs;
    }

    List<TrafficSelector> remoteTs() {
        return remoteTs;
    }

    Instant installed() {
        return installed;
    }

    /** Still the live SA of its child: not replaced, not going away. */
    boolean current() {
        return !redundant && (state == State.INSTALLED || state == State.REKEYING);
    }

    IkeSaInfo.ChildSaInfo info() {
        return new IkeSaInfo.ChildSaInfo(name, uniqueId, reqid, state.name(), udpEncapsulation,
                Suites.encryptionName(suite.cipher()), Suites.integrityName(suite.cipher().integrity()),
                suite.keyExchangesName(), suite.esn(), spiIn, spiOut, installed, rekeyAt,
                Selectors.strings(localTs), Selectors.strings(remoteTs), rekeys, expiresAt);
    }

    @Override
    public String toString() {
        return name + "#" + uniqueId + String.format("[%08x/%08x %s]", spiIn, spiOut, state);
    }
}
