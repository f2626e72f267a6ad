package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One additional key exchange of a new IKE SA (RFC 9370 §2.2.2), carried by an IKE_INTERMEDIATE
 * exchange (RFC 9242) between IKE_SA_INIT and IKE_AUTH: the initiator sends its KE payload for the
 * n-th negotiated method, the responder answers with its own (for ML-KEM, the ciphertext). Both
 * then move the IKE SA to SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr) and fresh SK_* keys with
 * the same SPIs ({@link SaKeying#additional}): the next message is protected by them. The
 * responder answers with the old keys and switches once its answer is sent.
 */
final class IkeIntermediateTask implements Task {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private final KeyExchangeMethod method;
    /** 1 for ADDKE1's exchange (the first one that runs), and so on. */
    private final int round;
    private KeyExchange ke;

    IkeIntermediateTask(KeyExchangeMethod method, int round) {
        this.method = method;
        this.round = round;
    }

    /** The IKE_INTERMEDIATE exchanges for a suite's additional key exchanges, in the order they run. */
    static List<Task> forSuite(Suites.IkeSuite suite) {
        List<KeyExchangeMethod> additional = suite.additionalKeyExchanges();
        return java.util.stream.IntStream.range(0, additional.size())
                .<Task>mapToObj(i -> new IkeIntermediateTask(additional.get(i), i + 1)).toList();
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_INTERMEDIATE;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        if (ke == null) {
            ke = KeyExchanges.create(method, sa.n.random);
        }
        return List.of(new KePayload(method.id(), ke.initiatorShare()));
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        try {
            IkeMessage m = ChildExchange.view(payloads);
            Optional<NotifyPayload> error = m.all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
            if (error.isPresent()) {
                sa.fail(Optional.empty(), "peer " + sa.peer() + " refused additional key exchange " + round + " ("
                        + Suites.keName(method) + ") in IKE_INTERMEDIATE with "
                        + error.get().type().map(Enum::name).orElse("error " + error.get().notifyType()));
                return Result.DONE;
            }
            Optional<KePayload> kePayload = m.first(KePayload.class);
            if (kePayload.isEmpty() || kePayload.get().group() != method.id()) {
                sa.fail(Optional.empty(), "peer " + sa.peer() + " answered additional key exchange " + round + " ("
                        + Suites.keName(method) + ") in IKE_INTERMEDIATE with "
                        + kePayload.map(k -> "key exchange method " + k.group()).orElse("no KE payload")
                        + "; check that it runs an RFC 9370 implementation");
                return Result.DONE;
            }
            SecretBytes shared;
            try {
                shared = ke.complete(kePayload.get().data());
            } catch (InvalidKeyExchangeException e) {
                sa.fail(Optional.empty(), "peer " + sa.peer() + " sent an invalid " + Suites.keName(method)
                        + " value in additional key exchange " + round + ": " + e.getMessage());
                return Result.DONE;
            }
            SaKeying.additional(sa, shared);
            log.debug("{}: additional key exchange {} ({}) in IKE_INTERMEDIATE with {} done, IKE SA keys updated",
                    sa.name(), round, Suites.keName(method), sa.peer());
            return Result.DONE;
        } finally {
            abandoned(sa);
        }
    }

    @Override
    public void abandoned(IkeSa sa) {
        if (ke != null) {
            ke.destroy();
            ke = null;
        }
    }

    // ---- responder -----------------------------------------------------------------------------

    /**
     * Answers an IKE_INTERMEDIATE request while the IKE SA is being set up: the next negotiated
     * additional key exchange. Keys change once the answer is sent. A request with the wrong
     * method or an invalid share gets INVALID_SYNTAX and ends the IKE SA.
     */
    static Reply respond(IkeSa sa, List<Payload> payloads) {
        List<KeyExchangeMethod> additional = sa.suite.additionalKeyExchanges();
        int done = sa.intermediate.keyExchangesDone;
        if (done >= additional.size()) {
            // RFC 9242 allows IKE_INTERMEDIATE for other purposes; we have nothing to add.
            return new Reply(List.of());
        }
        KeyExchangeMethod expected = additional.get(done);
        int round = done + 1;
        Optional<KePayload> kePayload = ChildExchange.view(payloads).first(KePayload.class);
        if (kePayload.isEmpty() || kePayload.get().group() != expected.id()) {
            String message = "peer " + sa.peer() + " sent " + kePayload.map(k -> "key exchange method " + k.group())
                    .orElse("no KE payload") + " in IKE_INTERMEDIATE for additional key exchange " + round
                    + ", negotiated " + Suites.keName(expected) + "; check that it runs an RFC 9370 implementation";
            return refuse(sa, message);
        }
        KeyExchange ke = KeyExchanges.create(expected, sa.n.random);
        KeyExchange.Response response;
        try {
            response = ke.respond(kePayload.get().data());
        } catch (InvalidKeyExchangeException e) {
            return refuse(sa, "peer " + sa.peer() + " sent an invalid " + Suites.keName(expected)
                    + " value in additional key exchange " + round + ": " + e.getMessage());
        } finally {
            ke.destroy();
        }
        sa.intermediate.keyExchangesDone = round;
        SecretBytes shared = response.sharedSecret();
        return new Reply(List.of(new KePayload(expected.id(), response.responderShare())), () -> {
            SaKeying.additional(sa, shared);
            log.debug("{}: additional key exchange {} ({}) in IKE_INTERMEDIATE with {} answered, IKE SA keys updated",
                    sa.name(), round, Suites.keName(expected), sa.peer());
        });
    }

    /**
     * An IKE_AUTH request before every negotiated additional key exchange ran would set up the IKE
     * SA with weaker keys than agreed: INVALID_SYNTAX, and the IKE SA ends.
     */
    static Optional<Reply> authTooEarly(IkeSa sa) {
        List<KeyExchangeMethod> additional = sa.suite.additionalKeyExchanges();
        int done = sa.intermediate.keyExchangesDone;
        if (done >= additional.size()) {
            return Optional.empty();
        }
        return Optional.of(refuse(sa, "peer " + sa.peer() + " sent IKE_AUTH before additional key exchange " + (done + 1)
                + " (" + Suites.keName(additional.get(done)) + ") that it negotiated; refused"));
    }

    private static Reply refuse(IkeSa sa, String message) {
        return new Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)), () -> sa.fail(Optional.empty(), message));
    }
}
