package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.DeletePayload;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.ProtocolId;
import java.util.List;

/** INFORMATIONAL with a DELETE of one Child SA (RFC 7296 §1.4.1): both halves go. */
final class ChildDeleteTask implements Task {
    private final ChildSa child;

    ChildDeleteTask(ChildSa child) {
        this.child = child;
    }

    boolean deletes(ChildSa sa) {
        return child == sa;
    }

    @Override
    public boolean obsolete(IkeSa sa) {
        return !sa.children.contains(child);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        if (child.state != ChildSa.State.REKEYED) {
            child.state = ChildSa.State.DELETING;
        }
        return List.of(new DeletePayload(ProtocolId.ESP.value(), 4, List.of(Proposals.spiBytes(child.spiIn()))));
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        if (sa.children.contains(child)) {
            sa.removeChild(child, "deleted by us");
        }
        return Result.DONE;
    }
}
