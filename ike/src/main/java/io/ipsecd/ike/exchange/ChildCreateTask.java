package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NoncePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.ProtocolId;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CREATE_CHILD_SA for an additional Child SA (RFC 7296 §1.3.1), with a PFS key exchange when the
 * child's ESP proposals name one, and Child SA rekeying with REKEY_SA (§1.3.3) in both roles.
 * Make-before-break: the initiator moves its policy to the new SA when the answer arrives, then
 * deletes the old SA; the responder keeps sending on the old SA until that DELETE (which proves the
 * initiator can receive on the new one). Crossing exchanges follow {@link Collisions}. A peer's
 * IKE SA rekey goes to {@link IkeRekeyTask}.
 */
final class ChildCreateTask implements Task {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("ike");

    private final Child child;
    private int spiIn;
    private byte[] ni;
    private KeyExchange pfs;
    /** The Child SA this one replaces (a rekey, RFC 7296 §1.3.3), or null for a new child. */
    private final ChildSa replaces;

    ChildCreateTask(Child child) {
        this(child, null);
    }

    ChildCreateTask(Child child, ChildSa replaces) {
        this.child = child;
        this.replaces = replaces;
    }

    String childName() {
        return child.name();
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.CREATE_CHILD_SA;
    }

    /** A rekey of an SA that is gone, or that the peer's rekey already replaced, has nothing left to do. */
    @Override
    public boolean obsolete(IkeSa sa) {
        return replaces != null && (!sa.children.contains(replaces) || replaces.state != ChildSa.State.INSTALLED);
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        if (spiIn != 0) {
            sa.n.releaseSpi(spiIn); // a RESEND never happens for children, but never leak an SPI
        }
        spiIn = sa.n.newChildSpi();
        ni = sa.n.random.bytes(IkeInitTask.NONCE_BYTES);
        KeyExchangeMethod group = ChildExchange.pfsGroup(child);
        List<Payload> offer = ChildExchange.offer(child, spiIn, group != KeyExchangeMethod.NONE);
        List<Payload> payloads = new ArrayList<>();
        if (replaces != null) {
            replaces.state = ChildSa.State.REKEYING;
            sa.n.listener.event("child-rekey-started", sa.name(), child.name() + " rekeying SA "
                    + Proposals.spiText(replaces.spiIn()) + " with " + sa.peer());
            // The SA being rekeyed, named by our inbound SPI, as in a Delete payload.
            payloads.add(new NotifyPayload(ProtocolId.ESP.value(), Proposals.spiBytes(replaces.spiIn()),
                    NotifyType.REKEY_SA.value(), Bytes.EMPTY));
        }
        payloads.add(offer.get(0));
        payloads.add(new NoncePayload(Bytes.of(ni)));
        if (group != KeyExchangeMethod.NONE) {
            if (pfs != null) {
                pfs.destroy();
            }
            pfs = KeyExchanges.create(group, sa.n.random, sa.conn.ike().allowWeakGroups()
                    ? KeyExchanges.WeakGroups.ALLOW : KeyExchanges.WeakGroups.REFUSE);
            payloads.add(new KePayload(group.id(), pfs.initiatorShare()));
        }
        payloads.addAll(offer.subList(1, 3));
        return payloads;
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        try {
            Optional<NoncePayload> nr = ChildExchange.view(payloads).first(NoncePayload.class);
            Optional<NotifyPayload> error = payloads.stream().filter(p -> p instanceof NotifyPayload n && n.isError())
                    .map(NotifyPayload.class::cast).findFirst();
            if (replaces != null && error.isPresent() && refusedRekey(sa, error.get())) {
                sa.n.releaseSpi(spiIn);
                return Result.DONE;
            }
            if (nr.isEmpty() && error.isEmpty()) {
                sa.childFailed(child.name(), "peer " + sa.peer() + " answered CREATE_CHILD_SA without a nonce");
                sa.n.releaseSpi(spiIn);
                return Result.DONE;
            }
            byte[] nonceR = nr.map(x -> x.nonce().toArray()).orElse(null);
            Optional<ChildExchange.Accepted> accepted = ChildExchange.validate(sa, child, spiIn, payloads, pfs);
            if (accepted.isEmpty()) {
                sa.n.releaseSpi(spiIn);
                restoreRekeyed();
                return Result.DONE;
            }
            List<KeyExchangeMethod> more = accepted.get().suite().additionalKeyExchanges();
            if (more.isEmpty()) {
                if (install(sa, accepted.get(), nonceR, List.of()).isPresent()) {
                    sa.n.releaseSpi(spiIn);
                    restoreRekeyed();
                }
                return Result.DONE;
            }
            followUp(sa, accepted.get(), nonceR, more, FollowupKe.link(ChildExchange.view(payloads)));
            return Result.DONE;
        } finally {
            if (pfs != null) {
                pfs.destroy();
            }
        }
    }

    /**
     * Installs the accepted Child SA with every key exchange's secret (and, for a rekey, settles a
     * collision); the admin message when it could not be installed (reported here).
     */
    private Optional<String> install(IkeSa sa, ChildExchange.Accepted a, byte[] nonceR, List<SecretBytes> additional) {
        ChildSa theirs = replaces == null ? null : replaces.peerReplacement;
        boolean weLose = theirs != null && nonceR != null && Collisions.weLose(ni, nonceR, theirs.ni, theirs.nr);
        ChildSa made;
        try {
            made = sa.installChild(child, a.suite(), spiIn, a.spiOut(), ni, nonceR, true, a.shared(), additional,
                    a.local(), a.remote(), replaces, !weLose);
        } catch (io.ipsecd.ike.port.IpsecPortException | RuntimeException e) {
            String message = "cannot install the Child SA with " + sa.peer() + ": " + e.getMessage();
            sa.childFailed(child.name(), message);
            return Optional.of(message);
        }
        if (replaces != null) {
            rekeyed(sa, made, theirs, weLose);
        }
        return Optional.empty();
    }

    private void restoreRekeyed() {
        if (replaces != null && replaces.state == ChildSa.State.REKEYING) {
            replaces.state = ChildSa.State.INSTALLED;
        }
    }

    /**
     * The answer chose additional key exchanges (RFC 9370 §2.2.4): the IKE_FOLLOWUP_KE exchanges run
     * next, and the Child SA is installed after the last one.
     */
    private void followUp(IkeSa sa, ChildExchange.Accepted a, byte[] nonceR, List<KeyExchangeMethod> more,
                          Optional<Bytes> link) {
        if (link.isEmpty()) {
            if (a.shared() != null) {
                a.shared().destroy();
            }
            sa.childFailed(child.name(), "peer " + sa.peer() + " chose additional key exchanges "
                    + Suites.additionalNames(more) + " but sent no ADDITIONAL_KEY_EXCHANGE notify to continue");
            sa.n.releaseSpi(spiIn);
            restoreRekeyed();
            return;
        }
        sa.runNext(List.<Task>of(new FollowupKeTask(more, link.get(), child.name() + " Child SA", Optional.of(child.name()), spiIn,
                new FollowupKe.Completion() {
                    @Override
                    public Optional<String> complete(List<SecretBytes> additional) {
                        Optional<String> failed = install(sa, a, nonceR, additional);
                        if (failed.isPresent()) {
                            restoreRekeyed();
                        }
                        return Optional.empty(); // reported by install; the task DELETEs the SPI at the peer
                    }

                    @Override
                    public void abandon(boolean peerBusy) {
                        if (a.shared() != null) {
                            a.shared().destroy();
                        }
                        restoreRekeyed();
                        if (peerBusy && replaces != null && sa.children.contains(replaces)) {
                            sa.n.scheduleChildRekey(child, replaces, Collisions.retryDelay(sa.n));
                        }
                    }
                })));
    }

    /** Our rekey made {@code fresh}; with a collision, one of the two new SAs goes (RFC 7296 §2.8.1). */
    private void rekeyed(IkeSa sa, ChildSa fresh, ChildSa theirs, boolean weLose) {
        String old = Proposals.spiText(replaces.spiIn());
        if (theirs == null) {
            sa.n.listener.event("child-rekeyed", sa.name(), child.name() + " rekeyed with " + sa.peer() + ": SA "
                    + old + " -> " + Proposals.spiText(fresh.spiIn()));
        } else {
            ChildSa keep = weLose ? theirs : fresh;
            ChildSa drop = weLose ? fresh : theirs;
            drop.redundant = true;
            log.info("{}/{}: rekey collision with {}: both rekeyed SA {}; {} stays, {} goes ({} the lowest nonce)",
                    sa.name(), child.name(), sa.peer(), old, Proposals.spiText(keep.spiIn()),
                    Proposals.spiText(drop.spiIn()), weLose ? "ours had" : "the peer's had");
            sa.n.listener.event("child-rekey-collision", sa.name(), child.name() + ": simultaneous rekey with "
                    + sa.peer() + " of SA " + old + "; kept " + Proposals.spiText(keep.spiIn()) + ", "
                    + (weLose ? "deleting ours " : "the peer deletes ") + Proposals.spiText(drop.spiIn()));
            if (weLose) {
                // The winner deletes the old SA; we delete the redundant one we made. We send on the
                // winner's SA only once that DELETE comes: the winner may not have its answer yet.
                if (sa.children.contains(replaces)) {
                    replaces.state = ChildSa.State.REKEYED;
                    activateLater(sa, keep);
                } else {
                    ChildSas.activate(sa, keep);
                }
                sa.enqueue(new ChildDeleteTask(fresh));
                return;
            }
        }
        if (sa.children.contains(replaces)) {
            replaces.state = ChildSa.State.REKEYED;
            sa.enqueue(new ChildDeleteTask(replaces)); // make before break: the new SA is in, the old goes
        }
    }

    /**
     * The peer refused to rekey (RFC 7296 §2.25): TEMPORARY_FAILURE means it is busy with the same
     * SA (its own rekey won, or it is deleting it), CHILD_SA_NOT_FOUND that the SA is gone there.
     * Returns false for errors that are not about the collision.
     */
    private boolean refusedRekey(IkeSa sa, NotifyPayload error) {
        int type = error.notifyType();
        if (type != NotifyType.TEMPORARY_FAILURE.value() && type != NotifyType.CHILD_SA_NOT_FOUND.value()) {
            return false;
        }
        boolean present = sa.children.contains(replaces);
        if (replaces.peerReplacement != null) {
            // The peer's rekey of the same SA stands; the peer deletes the old SA.
            if (present) {
                replaces.state = ChildSa.State.REKEYED;
            }
            log.info("{}/{}: peer {} refused our rekey of SA {} ({}): its own rekey replaced it", sa.name(),
                    child.name(), sa.peer(), Proposals.spiText(replaces.spiIn()), error.type().orElseThrow());
            return true;
        }
        if (!present) {
            return true;
        }
        if (type == NotifyType.CHILD_SA_NOT_FOUND.value()) {
            sa.removeChild(replaces, "peer " + sa.peer() + " no longer has it (CHILD_SA_NOT_FOUND)");
            return true;
        }
        if (replaces.state == ChildSa.State.REKEYING) {
            replaces.state = ChildSa.State.INSTALLED;
        }
        java.time.Duration retry = Collisions.retryDelay(sa.n);
        log.info("{}/{}: peer {} is busy with SA {} (TEMPORARY_FAILURE); rekeying again in {} ms", sa.name(),
                child.name(), sa.peer(), Proposals.spiText(replaces.spiIn()), retry.toMillis());
        sa.n.scheduleChildRekey(child, replaces, retry);
        return true;
    }

    @Override
    public void abandoned(IkeSa sa) {
        if (pfs != null) {
            pfs.destroy();
        }
        if (spiIn != 0) {
            sa.n.releaseSpi(spiIn);
        }
    }

    @Override
    public void gaveUp(IkeSa sa, io.ipsecd.ike.sa.Retransmitter.GiveUp giveUp) {
        abandoned(sa);
        Task.super.gaveUp(sa, giveUp);
    }

    static Reply respond(IkeSa sa, List<Payload> request) {
        IkeMessage m = ChildExchange.view(request);
        boolean ikeRekey = m.first(SaPayload.class).map(s -> s.proposals().stream()
                .anyMatch(p -> p.protocolId() == ProtocolId.IKE.value())).orElse(false);
        if (ikeRekey) {
            return IkeRekeyTask.respond(sa, request);
        }
        Optional<NoncePayload> ni = m.first(NoncePayload.class);
        if (ni.isEmpty()) {
            return new Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
        }
        if (sa.rekeyed || sa.redundant) {
            // This IKE SA is being replaced: the peer retries on the new one (RFC 7296 §2.25.2).
            return new Reply(List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
        }
        Optional<NotifyPayload> rekey = m.notify(NotifyType.REKEY_SA);
        ChildSa old = null;
        if (rekey.isPresent()) {
            Optional<ChildSa> found = rekeyTarget(sa, rekey.get());
            if (found.isEmpty()) {
                return new Reply(List.of(new NotifyPayload(ProtocolId.ESP.value(), rekey.get().spi(),
                        NotifyType.CHILD_SA_NOT_FOUND.value(), Bytes.EMPTY)));
            }
            old = found.get();
            if (old.state == ChildSa.State.REKEYED || old.state == ChildSa.State.DELETING || old.redundant
                    || sa.hasActive(ChildDeleteTask.class, t -> t.deletes(found.get()))) {
                // We replaced it already or are deleting it (RFC 7296 §2.25.1).
                return new Reply(List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            }
        }
        byte[] nr = sa.n.random.bytes(IkeInitTask.NONCE_BYTES);
        ChildSa replaced = old;
        List<Payload> answer = ChildExchange.respond(sa, request, ni.get().nonce().toArray(), nr,
                new NoncePayload(Bytes.of(nr)), old, fresh -> {
                    if (replaced != null && sa.children.contains(replaced)) {
                        peerRekeyed(sa, replaced, fresh);
                    }
                });
        return new Reply(answer);
    }

    private static Optional<ChildSa> rekeyTarget(IkeSa sa, NotifyPayload rekey) {
        if (rekey.protocolId() != ProtocolId.ESP.value() || rekey.spi().length() != 4) {
            return Optional.empty();
        }
        int outbound = java.nio.ByteBuffer.wrap(rekey.spi().toArray()).getInt();
        return sa.children.stream().filter(c -> c.spiOut() == outbound).findFirst();
    }

    /** We answered the peer's rekey of {@code old} with {@code fresh}. */
    private static void peerRekeyed(IkeSa sa, ChildSa old, ChildSa fresh) {
        if (old.state == ChildSa.State.REKEYING) {
            old.peerReplacement = fresh; // our own rekey of it is out: decided when its answer comes
            log.info("{}/{}: peer {} rekeys SA {} while we do too: the lowest nonce decides", sa.name(), old.name(),
                    sa.peer(), Proposals.spiText(old.spiIn()));
            return;
        }
        old.state = ChildSa.State.REKEYED;
        sa.n.listener.event("child-rekeyed", sa.name(), old.name() + " rekeyed by " + sa.peer() + ": SA "
                + Proposals.spiText(old.spiIn()) + " -> " + Proposals.spiText(fresh.spiIn()));
        activateLater(sa, fresh);
    }

    /** Normally the peer's DELETE of the old SA moves the policy to {@code fresh}; this covers a peer that never sends it. */
    private static void activateLater(IkeSa sa, ChildSa fresh) {
        sa.n.loop.schedule(ACTIVATE_WITHOUT_DELETE, () -> {
            if (sa.children.contains(fresh) && !fresh.outboundActive && fresh.current()) {
                ChildSas.activate(sa, fresh);
            }
        });
    }

    /** How long a rekey responder waits for the old SA's DELETE before sending on the new SA anyway. */
    static final java.time.Duration ACTIVATE_WITHOUT_DELETE = java.time.Duration.ofSeconds(10);
}
