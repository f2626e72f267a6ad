package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import java.util.List;
import java.util.Optional;

/**
 * AUTHENTICATION_FAILED after IKE_AUTH (RFC 7296 §2.21.2): the initiator that refuses the
 * responder's AUTH tells it in an INFORMATIONAL of its own, as strongSwan does, so the responder
 * does not keep an IKE SA the initiator has given up; and a responder told so by its initiator
 * drops the IKE SA it thought established.
 */
final class AuthFailedTask implements Task {
    private final String message;

    /** @param message why we refused the peer, reported to the admin once the notify is out */
    AuthFailedTask(String message) {
        this.message = message;
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    /** The notify goes out once; the IKE SA fails right after, without waiting for the answer. */
    @Override
    public List<Payload> build(IkeSa sa) {
        sa.n.loop.execute(() -> sa.fail(Optional.empty(), message));
        return List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED));
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        sa.fail(Optional.empty(), message);
        return Result.DONE;
    }

    // ---- responder -----------------------------------------------------------------------------

    static boolean carries(List<Payload> request) {
        return ChildExchange.view(request).notify(NotifyType.AUTHENTICATION_FAILED).isPresent();
    }

    /** The initiator refused our AUTH after all: answer, then the IKE SA fails with what to check. */
    static Reply respond(IkeSa sa, List<Payload> request) {
        String why = PubkeyAuth.signs(sa.conn) ? PubkeyAuth.refusedByPeer(sa)
                : "authentication failed: peer " + sa.peer() + " (tunnel " + sa.name() + ") refused our IKE_AUTH answer; "
                        + "check that it expects id " + sa.conn.local().id() + " for us, and that both sides have the "
                        + "same PSK (and PPK, if any)";
        return new Reply(List.of(), () -> sa.fail(Optional.empty(), why));
    }
}
