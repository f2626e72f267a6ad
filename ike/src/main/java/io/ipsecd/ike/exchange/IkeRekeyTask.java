package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NoncePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKE SA rekeying (RFC 7296 §1.3.2, §2.18): CREATE_CHILD_SA with an IKE proposal, nonce and KE.
 * The rekey's initiator becomes the new SA's original initiator; the new keys come from the old
 * SK_d; the Child SAs move to the new SA; the initiator then deletes the old IKE SA, which by then
 * owns nothing. When both peers rekey at once (§2.8.2), each keeps the SA it made answering the
 * other on standby until its own answer comes; then {@link Collisions} picks the survivor, the
 * children move there, the loser deletes its redundant SA and the winner the old one.
 */
final class IkeRekeyTask implements Task {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private IkeSa fresh;
    private KeyExchange ke;
    private KeyExchangeMethod group;

    @Override
    public ExchangeType exchange() {
        return ExchangeType.CREATE_CHILD_SA;
    }

    @Override
    public boolean obsolete(IkeSa old) {
        return old.rekeyed || old.redundant || old.state != IkeSa.State.ESTABLISHED;
    }

    @Override
    public List<Payload> build(IkeSa old) {
        if (fresh == null) {
            fresh = old.n.newSa(old.conn, true, old.local, old.remote);
            fresh.ni = old.n.random.bytes(IkeInitTask.NONCE_BYTES);
            group = old.suite.keyExchange();
            old.n.listener.event("ike-rekey-started", old.name(), "rekeying IKE SA " + Long.toHexString(old.ourSpi())
                    + " with " + old.peer());
        }
        if (ke != null) {
            ke.destroy();
        }
        ke = KeyExchanges.create(group, old.n.random, weak(old));
        List<Proposal> offer = Proposals.ike(old.conn.ike().proposals()).stream()
                .map(p -> new Proposal(p.number(), p.protocolId(), spi(fresh.spiI), p.transforms())).toList();
        return List.of(new SaPayload(offer), new NoncePayload(Bytes.of(fresh.ni)), new KePayload(group.id(),
                ke.initiatorShare()));
    }

    private static KeyExchanges.WeakGroups weak(IkeSa sa) {
        return sa.conn.ike().allowWeakGroups() ? KeyExchanges.WeakGroups.ALLOW : KeyExchanges.WeakGroups.REFUSE;
    }

    private static Bytes spi(long value) {
        return Bytes.of(ByteBuffer.allocate(8).putLong(value).array());
    }

    @Override
    public Result process(IkeSa old, IkeHeader header, List<Payload> payloads) {
        IkeMessage m = ChildExchange.view(payloads);
        Optional<NotifyPayload> invalidKe = m.notify(NotifyType.INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent() && invalidKe.get().data().length() == 2) {
            Optional<KeyExchangeMethod> wanted = KeyExchangeMethod.fromId(invalidKe.get().data().get(0) << 8
                    | invalidKe.get().data().get(1)).filter(k -> k != group
                    && Proposals.keyExchanges(old.conn.ike().proposals()).contains(k));
            if (wanted.isPresent()) {
                group = wanted.get();
                return Result.RESEND;
            }
        }
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<NoncePayload> nr = m.first(NoncePayload.class);
        Optional<KePayload> kr = m.first(KePayload.class);
        try {
            if (sa.isEmpty() || nr.isEmpty() || kr.isEmpty() || sa.get().proposals().size() != 1
                    || sa.get().proposals().getFirst().spi().length() != 8
                    || !Proposals.isAnswerTo(sa.get().proposals().getFirst(), Proposals.ike(old.conn.ike().proposals()))) {
                Optional<NotifyPayload> error = m.all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
                String why = error.map(n -> n.type().map(Enum::name).orElse("error " + n.notifyType())).orElse("an unusable answer");
                old.n.forget(fresh);
                if (error.isPresent() && error.get().notifyType() == NotifyType.TEMPORARY_FAILURE.value()) {
                    busy(old);
                    return Result.DONE;
                }
                old.n.listener.failed(old.name(), Optional.empty(), "IKE SA rekey refused by " + old.peer() + " ("
                        + why + "); the current IKE SA stays until it expires");
                return Result.DONE;
            }
            Proposal chosen = sa.get().proposals().getFirst();
            IkeSuite suite = Proposals.ikeSuite(chosen);
            fresh.spiR = ByteBuffer.wrap(chosen.spi().toArray()).getLong();
            fresh.nr = nr.get().nonce().toArray();
            SecretBytes first = ke.complete(kr.get().data());
            if (!suite.additionalKeyExchanges().isEmpty()) {
                followUp(old, suite, first, FollowupKe.link(m));
                return Result.DONE;
            }
            SaKeying.rekeyed(fresh, old, suite, first);
        } catch (InvalidKeyExchangeException e) {
            old.n.forget(fresh);
            old.n.listener.failed(old.name(), Optional.empty(), "IKE SA rekey with " + old.peer()
                    + " failed: invalid key exchange value: " + e.getMessage());
            return Result.DONE;
        } finally {
            ke.destroy();
        }
        return settle(old);
    }

    /**
     * The answer chose additional key exchanges (RFC 9370 §2.2.4): they run on the old IKE SA as
     * IKE_FOLLOWUP_KE exchanges, and the new SA gets its keys, and takes over, after the last one.
     */
    private void followUp(IkeSa old, IkeSuite suite, SecretBytes first, Optional<Bytes> link) {
        String what = "rekeyed IKE SA " + Long.toHexString(fresh.ourSpi());
        if (link.isEmpty()) {
            first.destroy();
            old.n.forget(fresh);
            old.n.listener.failed(old.name(), Optional.empty(), "IKE SA rekey with " + old.peer() + " failed: it chose "
                    + "additional key exchanges " + Suites.additionalNames(suite.additionalKeyExchanges())
                    + " but sent no ADDITIONAL_KEY_EXCHANGE notify; the current IKE SA stays until it expires");
            return;
        }
        IkeSa made = fresh;
        old.runNext(List.<Task>of(new FollowupKeTask(suite.additionalKeyExchanges(), link.get(), what, Optional.empty(), 0,
                new FollowupKe.Completion() {
                    @Override
                    public Optional<String> complete(List<SecretBytes> additional) {
                        SaKeying.rekeyed(made, old, suite, first, additional);
                        if (old.state == IkeSa.State.ESTABLISHED && !old.rekeyed) {
                            settle(old);
                        } else {
                            old.n.forget(made); // the old SA went meanwhile (deleted, or the peer's rekey won)
                        }
                        return Optional.empty();
                    }

                    @Override
                    public void abandon(boolean peerBusy) {
                        first.destroy();
                        old.n.forget(made);
                        if (peerBusy) {
                            busy(old);
                        }
                    }
                })));
    }

    /** Our new IKE SA has its keys: it takes over, unless the peer's simultaneous rekey wins (RFC 7296 §2.8.2). */
    private Result settle(IkeSa old) {
        IkeSa theirs = old.peerReplacement;
        if (theirs == null || theirs.state != IkeSa.State.ESTABLISHED) {
            if (theirs != null) {
                // The peer lost the collision, saw it first and already deleted its redundant SA.
                old.n.listener.event("ike-rekey-collision", old.name(), "simultaneous IKE SA rekey with " + old.peer()
                        + "; kept " + Long.toHexString(fresh.ourSpi()) + ", the peer deleted its "
                        + Long.toHexString(theirs.ourSpi()));
            }
            takeOver(old, fresh);
            old.enqueue(new DeleteTask());
            return Result.DONE;
        }
        boolean weLose = Collisions.weLose(fresh.ni, fresh.nr, theirs.ni, theirs.nr);
        IkeSa keep = weLose ? theirs : fresh;
        IkeSa drop = weLose ? fresh : theirs;
        drop.redundant = true;
        drop.standby();
        log.info("{}: IKE SA rekey collision with {}: both rekeyed {}; {} stays, {} goes ({} the lowest nonce)",
                old.name(), old.peer(), Long.toHexString(old.ourSpi()), Long.toHexString(keep.ourSpi()),
                Long.toHexString(drop.ourSpi()), weLose ? "ours had" : "the peer's had");
        old.n.listener.event("ike-rekey-collision", old.name(), "simultaneous IKE SA rekey with " + old.peer()
                + "; kept " + Long.toHexString(keep.ourSpi()) + ", " + (weLose ? "deleting ours " : "the peer deletes ")
                + Long.toHexString(drop.ourSpi()));
        takeOver(old, keep);
        if (weLose) {
            drop.enqueue(new DeleteTask()); // the winner deletes the old SA
        } else {
            old.enqueue(new DeleteTask());
            forgetIfKept(drop);
        }
        return Result.DONE;
    }

    /**
     * The loser deletes its redundant SA, unless our DELETE of the old SA reached it while its own
     * rekey was still unanswered: then it dropped the exchange (RFC 7296 §2.25.2) and never learns
     * of the SA we made for it. Such an SA owns nothing, so we let it go without a word.
     */
    private static void forgetIfKept(IkeSa drop) {
        drop.n.loop.schedule(REDUNDANT_GRACE, () -> {
            if (drop.state == IkeSa.State.ESTABLISHED && drop.idle()) {
                drop.destroy("redundant after a rekey collision; the peer never took it up");
            }
        });
    }

    /** How long a redundant IKE SA waits for its maker's DELETE. */
    static final java.time.Duration REDUNDANT_GRACE = java.time.Duration.ofSeconds(5);

    /** TEMPORARY_FAILURE: the peer's own rekey stands if we answered one, else we try again shortly. */
    private static void busy(IkeSa old) {
        IkeSa theirs = old.peerReplacement;
        if (theirs != null && theirs.state == IkeSa.State.ESTABLISHED) {
            takeOver(old, theirs);
            return;
        }
        java.time.Duration retry = Collisions.retryDelay(old.n);
        log.info("{}: peer {} is busy (TEMPORARY_FAILURE); rekeying the IKE SA again in {} ms", old.name(), old.peer(),
                retry.toMillis());
        old.n.loop.schedule(retry, () -> {
            if (old.state == IkeSa.State.ESTABLISHED && !old.rekeyed && !old.hasQueued(IkeRekeyTask.class)) {
                old.enqueue(new IkeRekeyTask());
            }
        });
    }

    /** The new IKE SA takes the children and identity of the old one, which is now only waiting to go. */
    static void takeOver(IkeSa old, IkeSa fresh) {
        fresh.peerIdText = old.peerIdText;
        fresh.natDetected = old.natDetected;
        fresh.behindNat = old.behindNat;
        fresh.fragments.inherit(old.fragments);
        fresh.peerAuth = old.peerAuth;
        fresh.ppkId = old.ppkId;
        fresh.rekeys = old.rekeys + 1;
        fresh.children.addAll(old.children);
        old.children.clear();
        old.rekeyed = true;
        old.peerReplacement = null;
        fresh.established();
        fresh.scheduleRekeys();
        old.handOverQueue(fresh);
        log.info("{}: IKE SA rekeyed with {}: {} -> {}", old.name(), old.peer(), Long.toHexString(old.ourSpi()),
                Long.toHexString(fresh.ourSpi()));
        old.n.listener.event("ike-rekeyed", old.name(), "IKE SA with " + old.peer() + " rekeyed: "
                + Long.toHexString(old.ourSpi()) + " -> " + Long.toHexString(fresh.ourSpi()));
    }

    @Override
    public void abandoned(IkeSa old) {
        if (fresh != null && fresh.keys == null) {
            old.n.forget(fresh);
        }
        if (ke != null) {
            ke.destroy();
        }
    }

    @Override
    public void gaveUp(IkeSa old, io.ipsecd.ike.sa.Retransmitter.GiveUp giveUp) {
        abandoned(old);
        Task.super.gaveUp(old, giveUp);
    }

    static Task.Reply respond(IkeSa old, List<Payload> request) {
        IkeMessage m = ChildExchange.view(request);
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<NoncePayload> ni = m.first(NoncePayload.class);
        Optional<KePayload> ke = m.first(KePayload.class);
        if (sa.isEmpty() || ni.isEmpty() || ke.isEmpty()) {
            return new Task.Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
        }
        // Already replaced or going, or a Child SA exchange of ours is out on it (RFC 7296 §2.25.2).
        if (old.rekeyed || old.redundant || old.state != IkeSa.State.ESTABLISHED || old.peerReplacement != null
                || old.hasActive(ChildCreateTask.class, t -> true) || old.hasActive(ChildDeleteTask.class, t -> true)
                || old.hasActive(FollowupKeTask.class, t -> !t.rekeysIkeSa())) {
            return new Task.Reply(List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
        }
        Optional<Proposal> chosen = Proposals.select(Proposals.ike(old.conn.ike().proposals()), sa.get().proposals());
        if (chosen.isEmpty() || chosen.get().spi().length() != 8) {
            old.n.listener.failed(old.name(), Optional.empty(), "IKE SA rekey: proposal mismatch: peer offered "
                    + Proposals.describe(sa.get().proposals()) + ", we accept "
                    + Proposals.describeConfigured(old.conn.ike().proposals()));
            return new Task.Reply(List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
        }
        IkeSuite suite = Proposals.ikeSuite(chosen.get());
        int group = suite.keyExchange().id();
        if (ke.get().group() != group) {
            return new Task.Reply(List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD,
                    Bytes.of(new byte[] {(byte) (group >>> 8), (byte) group}))));
        }
        KeyExchange ours = KeyExchanges.create(suite.keyExchange(), old.n.random, old.conn.ike().allowWeakGroups()
                ? KeyExchanges.WeakGroups.ALLOW : KeyExchanges.WeakGroups.REFUSE);
        KeyExchange.Response response;
        try {
            response = ours.respond(ke.get().data());
        } catch (InvalidKeyExchangeException e) {
            return new Task.Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
        } finally {
            ours.destroy();
        }
        IkeSa fresh = old.n.newSa(old.conn, false, old.local, old.remote);
        fresh.spiI = ByteBuffer.wrap(chosen.get().spi().toArray()).getLong();
        fresh.ni = ni.get().nonce().toArray();
        fresh.nr = old.n.random.bytes(IkeInitTask.NONCE_BYTES);
        Proposal answer = new Proposal(chosen.get().number(), chosen.get().protocolId(),
                Bytes.of(ByteBuffer.allocate(8).putLong(fresh.spiR).array()), chosen.get().transforms());
        List<Payload> out = new java.util.ArrayList<>(List.of(new SaPayload(List.of(answer)),
                new NoncePayload(Bytes.of(fresh.nr)), new KePayload(group, response.responderShare())));
        if (!suite.additionalKeyExchanges().isEmpty()) {
            // RFC 9370 §2.2.4: the new SA gets its keys after the peer's IKE_FOLLOWUP_KE exchanges.
            SecretBytes first = response.sharedSecret();
            out.add(FollowupKe.linkNotify(old.followups.expect(suite.additionalKeyExchanges(), "rekeyed IKE SA "
                    + Long.toHexString(fresh.ourSpi()), Optional.empty(), new FollowupKe.Completion() {
                        @Override
                        public Optional<String> complete(List<SecretBytes> additional) {
                            SaKeying.rekeyed(fresh, old, suite, first, additional);
                            if (old.state != IkeSa.State.ESTABLISHED || old.rekeyed || old.redundant) {
                                old.n.forget(fresh);
                                return Optional.of("IKE SA rekey by " + old.peer() + " completed after the old IKE SA "
                                        + "went; the rekeyed one is dropped");
                            }
                            adopt(old, fresh);
                            return Optional.empty();
                        }

                        @Override
                        public void abandon(boolean peerBusy) {
                            first.destroy();
                            old.n.forget(fresh);
                        }
                    })));
            return new Task.Reply(out);
        }
        SaKeying.rekeyed(fresh, old, suite, response.sharedSecret());
        adopt(old, fresh);
        return new Task.Reply(out);
    }

    /** We answered the peer's rekey with {@code fresh}: it takes over, or waits if our own rekey is out. */
    private static void adopt(IkeSa old, IkeSa fresh) {
        if (ourRekeyOut(old)) {
            fresh.standby(); // our own rekey is out: decided when its answer comes
            old.peerReplacement = fresh;
            log.info("{}: peer {} rekeys the IKE SA while we do too: the lowest nonce decides", old.name(), old.peer());
        } else {
            takeOver(old, fresh);
        }
    }

    /** Our rekey of {@code old} is out: its CREATE_CHILD_SA, or the IKE_FOLLOWUP_KE exchanges after it. */
    private static boolean ourRekeyOut(IkeSa old) {
        return old.hasActive(IkeRekeyTask.class, t -> true) || old.hasActive(FollowupKeTask.class,
                FollowupKeTask::rekeysIkeSa);
    }
}
