package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
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
}
