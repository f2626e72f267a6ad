package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.sa.Retransmitter;
import java.util.List;

/**
 * The empty INFORMATIONAL request (RFC 7296 §1.4, dead peer detection) that {@link Liveness}
 * sends: any authentic answer proves the peer alive; its resends are bounded by {@code dpd.timeout}
 * ({@link Liveness#boundedBy}), and none answered means the peer is dead.
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

    /** The peer is dead: {@link Liveness#dead} reports it and acts as {@code dpd.action} says. */
    @Override
    public void gaveUp(IkeSa sa, Retransmitter.GiveUp giveUp) {
        Liveness.dead(sa, "no answer to the liveness check within " + Liveness.seconds(sa.conn.ike().dpd().timeout()));
    }
}
