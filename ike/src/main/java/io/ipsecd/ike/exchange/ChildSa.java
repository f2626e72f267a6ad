package io.ipsecd.ike.exchange;

import io.ipsecd.ike.exchange.Suites.EspSuite;
import io.ipsecd.ike.message.TrafficSelector;
import java.time.Instant;
import java.util.List;

/**
 * One installed Child SA of an IKE SA: both directions share the reqid and the policy.
 *
 * @param spiIn ours, chosen by us; {@code spiOut} the peer's
 * @param rekeyAt when we rekey it (unless the peer does first)
 */
record ChildSa(String name, long uniqueId, int reqid, int spiIn, int spiOut, EspSuite suite, boolean udpEncapsulation,
               List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, Instant installed, Instant rekeyAt) {
    ChildSa {
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
    }

    IkeSaInfo.ChildSaInfo info() {
        return new IkeSaInfo.ChildSaInfo(name, uniqueId, reqid, "INSTALLED", udpEncapsulation,
                Suites.encryptionName(suite.cipher()), Suites.integrityName(suite.cipher().integrity()),
                Suites.keName(suite.keyExchange()), suite.esn(), spiIn, spiOut, installed, rekeyAt,
                Selectors.strings(localTs), Selectors.strings(remoteTs));
    }
}
