package io.ipsecd.ike.exchange;

import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.sa.Retransmitter;
import java.util.List;
import java.util.Optional;

/**
 * One exchange we initiate on an IKE SA, as in strongSwan's libcharon: the IKE SA queues tasks and
 * runs one at a time (window size 1). The responder side of each exchange lives in the same class
 * as a static {@code respond} method, so each file holds one exchange in both roles.
 */
sealed interface Task permits IkeInitTask, IkeIntermediateTask, IkeAuthTask, AuthFailedTask, ChildCreateTask, IkeRekeyTask, DeleteTask, ChildDeleteTask,
        LivenessTask, FollowupKeTask, FollowupKeTask.DeleteHalfMade {

    enum Result {
        /** Exchange complete: the next task may run. */
        DONE,
        /** Send a new request with the same message ID (COOKIE, INVALID_KE_PAYLOAD). */
        RESEND
    }

    ExchangeType exchange();

    /** The request's payloads (inner payloads for protected exchanges). */
    List<Payload> build(IkeSa sa);

    /** The response's payloads. May fail the IKE SA ({@link IkeSa#fail}). */
    Result process(IkeSa sa, IkeHeader header, List<Payload> payloads);

    /** Whether there is nothing left to do by the time the task's turn comes: it is skipped. */
    default boolean obsolete(IkeSa sa) {
        return false;
    }

    /** The IKE SA went away with this task queued or outstanding: release what it holds. */
    default void abandoned(IkeSa sa) {
    }

    /**
     * The peer never answered: by default the IKE SA failed; on an established SA the peer is dead
     * ({@link Liveness#dead}: {@code dpd.action} decides what follows).
     */
    default void gaveUp(IkeSa sa, Retransmitter.GiveUp giveUp) {
        if (sa.state == IkeSa.State.ESTABLISHED) {
            Liveness.dead(sa, "no answer to our " + exchange() + " request: gave up after " + giveUp.retransmits()
                    + " retransmits (" + giveUp.waited().toSeconds() + " s)");
        } else {
            sa.fail(Optional.empty(), giveUp.describe(sa.peer()));
        }
    }

    /** What a responder sends back, and what to do once it is sent (e.g. destroy the IKE SA). */
    record Reply(List<Payload> payloads, Runnable after) {
        Reply(List<Payload> payloads) {
            this(payloads, () -> { });
        }
    }
}
