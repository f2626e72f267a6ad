package io.ipsecd.ike.message;

import java.util.List;

/** Traffic Selector payload, TSi or TSr (RFC 7296 §3.13). */
public record TsPayload(boolean initiator, List<TrafficSelector> selectors) implements Payload {
    public TsPayload {
        selectors = List.copyOf(selectors);
        if (selectors.isEmpty() || selectors.size() > 255) {
            throw new IllegalArgumentException("a TS payload carries 1..255 selectors, not " + selectors.size());
        }
    }

    @Override
    public int payloadType() {
        return (initiator ? PayloadType.TSI : PayloadType.TSR).value();
    }
}
