package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.DeletePayload;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.ProtocolId;
import io.ipsecd.ike.sa.Retransmitter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * INFORMATIONAL with a DELETE of the IKE SA (RFC 7296 §1.4.1). The responder side here answers
 * every INFORMATIONAL request: IKE SA deletes, Child SA deletes (answered with the SPIs of our
 * halves), and empty liveness checks.
 */
final class DeleteTask implements Task {
    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        sa.state = IkeSa.State.DELETING;
        return List.of(DeletePayload.ikeSa());
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        sa.destroy("deleted by us");
        return Result.DONE;
    }

    /** A peer that does not confirm our DELETE is gone anyway: no error for the admin. */
    @Override
    public void gaveUp(IkeSa sa, Retransmitter.GiveUp giveUp) {
        sa.destroy("deleted by us; peer did not confirm");
    }

    static Reply respond(IkeSa sa, List<Payload> request) {
        List<DeletePayload> deletes = ChildExchange.view(request).all(DeletePayload.class);
        if (deletes.stream().anyMatch(d -> d.protocolId() == ProtocolId.IKE.value())) {
            return new Reply(List.of(), () -> sa.destroy("deleted by peer"));
        }
        List<Payload> out = new ArrayList<>();
        for (DeletePayload d : deletes) {
            if (d.protocolId() != ProtocolId.ESP.value() || d.spiSize() != 4) {
                continue;
            }
            List<io.ipsecd.ike.message.Bytes> ours = new ArrayList<>();
            for (io.ipsecd.ike.message.Bytes spi : d.spis()) {
                int outbound = ByteBuffer.wrap(spi.toArray()).getInt();
                sa.children.stream().filter(c -> c.spiOut() == outbound).findFirst().ifPresent(c -> {
                    ours.add(Proposals.spiBytes(c.spiIn()));
                    // The peer lost a rekey collision before we saw our answer: its SA was redundant.
                    c.redundant |= sa.children.stream().anyMatch(o -> o.peerReplacement == c);
                    sa.removeChild(c, "deleted by peer");
                });
            }
            if (!ours.isEmpty()) {
                out.add(new DeletePayload(ProtocolId.ESP.value(), 4, ours));
            }
        }
        return new Reply(out);
    }
}
