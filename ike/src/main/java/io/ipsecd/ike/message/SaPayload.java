package io.ipsecd.ike.message;

import java.util.List;

/**
 * Security Association payload (RFC 7296 §3.3): proposals, each with transforms, each with
 * attributes. The "last substructure" markers and counts are computed by the encoder.
 */
public record SaPayload(List<Proposal> proposals) implements Payload {
    public SaPayload {
        proposals = List.copyOf(proposals);
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("an SA payload needs at least one proposal");
        }
    }

    public static SaPayload of(Proposal... proposals) {
        return new SaPayload(List.of(proposals));
    }

    @Override
    public int payloadType() {
        return PayloadType.SA.value();
    }
}
