package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Additional key exchanges after a CREATE_CHILD_SA (RFC 9370 §2.2.4): when the chosen proposal
 * has ADDKE transforms, one IKE_FOLLOWUP_KE exchange per transform follows, in ADDKE order, each
 * {@code SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link)}} answered by {@code SK {KEr(n)
 * [, N(ADDITIONAL_KEY_EXCHANGE)(next link)]}}. The link data means something only to the responder,
 * which hands out a fresh random one per round; the initiator echoes the last it received.
 * Neither side installs a Child SA or derives a new IKE SA's keys until the last exchange:
 * KEYMAT and SKEYSEED come from SK(0) | Ni | Nr | SK(1) | ... | SK(n). The initiator side is
 * {@link FollowupKeTask}; this class holds the responder side (the chains waiting for their next
 * request, dropped after {@link #RESPONDER_WAIT}) and what both share.
 */
final class FollowupKe {
    private static final Logger log = LoggerFactory.getLogger("ike");

    /** How long a responder keeps a chain waiting for the next IKE_FOLLOWUP_KE (RFC 9370: 5-20 s). */
    static final Duration RESPONDER_WAIT = Duration.ofSeconds(20);
    /** Chains one IKE SA keeps at once; the oldest goes first (a peer with window size 1 needs one). */
    static final int MAX_PENDING = 4;
    private static final int LINK_BYTES = 8;

    private FollowupKe() {
    }

    /** What the last exchange completes: the Child SA install or the new IKE SA's keys. */
    interface Completion {
        /** All exchanges done: install or derive with every secret (wiped); an admin message when that failed. */
        Optional<String> complete(List<SecretBytes> additional);

        /**
         * Given up before the end: release what is held (the first secret, SPIs). The caller has
         * reported why; {@code peerBusy} when the peer answered TEMPORARY_FAILURE (worth a retry).
         */
        void abandon(boolean peerBusy);
    }

    static NotifyPayload linkNotify(Bytes link) {
        return new NotifyPayload(0, Bytes.EMPTY, NotifyType.ADDITIONAL_KEY_EXCHANGE.value(), link);
    }

    /** The link data of a message's ADDITIONAL_KEY_EXCHANGE notify, if it has one. */
    static Optional<Bytes> link(IkeMessage m) {
        return m.notify(NotifyType.ADDITIONAL_KEY_EXCHANGE).map(NotifyPayload::data);
    }

    /** "ML_KEM_768 (ADDKE1)": which exchange of a chain, for admin messages. */
    static String describe(List<KeyExchangeMethod> methods, int index) {
        return Suites.keName(methods.get(index)) + " (additional key exchange " + (index + 1) + " of " + methods.size()
                + ")";
    }

    static KeyExchanges.WeakGroups weak(IkeSa sa) {
        return sa.conn.ike().allowWeakGroups() ? KeyExchanges.WeakGroups.ALLOW : KeyExchanges.WeakGroups.REFUSE;
    }

    /** The responder side of one IKE SA: CREATE_CHILD_SAs we answered that wait for their IKE_FOLLOWUP_KE. */
    static final class Responder {
        private final IkeSa sa;
        private final Map<Bytes, Pending> pending = new LinkedHashMap<>();

        Responder(IkeSa sa) {
            this.sa = sa;
        }

        /**
         * Remembers a chain that our CREATE_CHILD_SA answer opens; returns the link data for the
         * answer's ADDITIONAL_KEY_EXCHANGE notify.
         *
         * @param what  the SA being made, for admin messages ("net Child SA", "IKE SA rekey")
         * @param child the child's name when it is one
         */
        Bytes expect(List<KeyExchangeMethod> methods, String what, Optional<String> child, Completion completion) {
            if (pending.size() >= MAX_PENDING) {
                Iterator<Pending> oldest = pending.values().iterator();
                Pending p = oldest.next();
                oldest.remove();
                drop(p, "more than " + MAX_PENDING + " unfinished at once");
            }
            return await(new Pending(List.copyOf(methods), what, child, completion));
        }

        private Bytes await(Pending p) {
            Bytes link = Bytes.of(sa.n.random.bytes(LINK_BYTES));
            pending.put(link, p);
            p.timer = sa.n.loop.schedule(RESPONDER_WAIT, () -> {
                if (pending.remove(link) == p) {
                    drop(p, "no IKE_FOLLOWUP_KE within " + RESPONDER_WAIT.toSeconds() + " s");
                }
            });
            return link;
        }

        private void drop(Pending p, String why) {
            if (p.timer != null) {
                p.timer.cancel();
            }
            p.secrets.forEach(SecretBytes::destroy);
            p.completion.abandon(false);
            sa.n.listener.failed(sa.name(), p.child, p.what + " with " + sa.peer() + " not created: " + why);
        }

        /** The peer's IKE_FOLLOWUP_KE request: the next key exchange of a chain, and the SA once it is the last. */
        Task.Reply respond(List<Payload> request) {
            IkeMessage m = ChildExchange.view(request);
            Optional<Bytes> link = link(m);
            Pending p = link.map(pending::remove).orElse(null);
            if (p == null) {
                log.info("{}: IKE_FOLLOWUP_KE from {} with {} link data: STATE_NOT_FOUND", sa.name(), sa.peer(),
                        link.isPresent() ? "unknown" : "no");
                return new Task.Reply(List.of(NotifyPayload.of(NotifyType.STATE_NOT_FOUND)));
            }
            p.timer.cancel();
            KeyExchangeMethod method = p.methods.get(p.secrets.size());
            Optional<KePayload> ke = m.first(KePayload.class);
            if (ke.isEmpty()) {
                drop(p, "the peer's IKE_FOLLOWUP_KE for " + describe(p.methods, p.secrets.size()) + " has no KE payload");
                return new Task.Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            }
            if (ke.get().group() != method.id()) {
                drop(p, "the peer sent key exchange method " + KeyExchangeMethod.fromId(ke.get().group())
                        .map(Suites::keName).orElse("#" + ke.get().group()) + " where " + describe(p.methods,
                        p.secrets.size()) + " was agreed");
                return new Task.Reply(List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            }
            KeyExchange ours = KeyExchanges.create(method, sa.n.random, weak(sa));
            KeyExchange.Response r;
            try {
                r = ours.respond(ke.get().data());
            } catch (InvalidKeyExchangeException e) {
                drop(p, "invalid " + describe(p.methods, p.secrets.size()) + " value from the peer: " + e.getMessage());
                return new Task.Reply(List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            } finally {
                ours.destroy();
            }
            p.secrets.add(r.sharedSecret());
            List<Payload> out = new ArrayList<>(List.of(new KePayload(method.id(), r.responderShare())));
            if (p.secrets.size() < p.methods.size()) {
                out.add(linkNotify(await(p)));
                return new Task.Reply(out);
            }
            Optional<String> failed = p.completion.complete(p.secrets);
            if (failed.isPresent()) {
                sa.n.listener.failed(sa.name(), p.child, failed.get());
                return new Task.Reply(List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            }
            log.debug("{}: {} with {}: {} additional key exchange(s) done", sa.name(), p.what, sa.peer(), p.methods.size());
            return new Task.Reply(out);
        }

        /** The IKE SA is gone: every chain with it, without a word (the SA's own end is the news). */
        void clear() {
            for (Pending p : pending.values()) {
                p.timer.cancel();
                p.secrets.forEach(SecretBytes::destroy);
                p.completion.abandon(false);
            }
            pending.clear();
        }

        /** Chains waiting now (for tests and the IKE rekey's collision check). */
        int size() {
            return pending.size();
        }
    }

    /** One chain the responder keeps: the methods in order, the secrets so far, what completes it. */
    private static final class Pending {
        final List<KeyExchangeMethod> methods;
        final String what;
        final Optional<String> child;
        final Completion completion;
        final List<SecretBytes> secrets = new ArrayList<>();
        io.ipsecd.ike.sa.EventLoop.Timer timer;

        Pending(List<KeyExchangeMethod> methods, String what, Optional<String> child, Completion completion) {
            this.methods = methods;
            this.what = what;
            this.child = child;
            this.completion = completion;
        }
    }
}
