package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.conf.DpdAction;
import io.ipsecd.ike.sa.Retransmitter;
import java.util.List;

/**
 * The empty INFORMATIONAL request (RFC 7296 §1.4, dead peer detection): any authentic answer
 * proves the peer alive; none, after the retransmissions, fails the IKE SA with the give-up
 * message.
 */
final class LivenessTask implements Task {
    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        return List.of();
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        return Result.DONE;
    }

    /** The peer is dead: report it, then act as {@code dpd.action} says (trap children re-trap anyway). */
    @Override
    public void gaveUp(IkeSa sa, Retransmitter.GiveUp giveUp) {
        List<String> children = sa.children.stream().map(ChildSa::name).distinct().toList();
        Task.super.gaveUp(sa, giveUp);
        if (sa.conn.ike().dpd().action() == DpdAction.RESTART && sa.conn.remote().ip().isPresent()) {
            sa.n.initiate(sa.conn, children.isEmpty() ? List.of() : children);
        }
    }
}
