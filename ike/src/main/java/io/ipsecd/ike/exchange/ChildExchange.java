package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.exchange.Suites.EspSuite;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.message.TrafficSelector;
import io.ipsecd.ike.message.TsPayload;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Child SA part shared by IKE_AUTH and CREATE_CHILD_SA (RFC 7296 §1.3.1, §2.9): the
 * initiator's offer and acceptance, the responder's selection and narrowing.
 */
final class ChildExchange {
    private ChildExchange() {
    }

    private record Candidate(Child child, List<TrafficSelector> local, List<TrafficSelector> remote, boolean exact) {
    }

    static IkeMessage view(List<Payload> payloads) {
        return new IkeMessage(new IkeHeader(0, 0, 0, false, false, false, 0), payloads);
    }

    /** SA, TSi, TSr for our child: the offer. */
    static List<Payload> offer(Child child, int spiIn, boolean withKe) {
        return List.of(new SaPayload(Proposals.esp(child.espProposals(), spiIn, withKe)),
                new TsPayload(true, Selectors.of(child.localTs())), new TsPayload(false, Selectors.of(child.remoteTs())));
    }

    /** The PFS group of a child's first ESP proposal, or NONE. */
    static KeyExchangeMethod pfsGroup(Child child) {
        return Proposals.keyExchanges(child.espProposals()).stream().findFirst().orElse(KeyExchangeMethod.NONE);
    }

    /**
     * Initiator: the responder's answer to our child offer; installs the Child SA or reports why not.
     *
     * @param replaces the SA we rekey, or null; {@code activate}: whether the policy moves to the new SA
     */
    static Optional<ChildSa> accept(IkeSa sa, Child child, int spiIn, List<Payload> payloads, byte[] ni, byte[] nr,
                                    KeyExchange pfs, ChildSa replaces, boolean activate) {
        return validate(sa, child, spiIn, payloads, pfs).flatMap(a -> a.install(sa, child, spiIn, ni, nr, List.of(),
                replaces, activate));
    }

    /**
     * What the responder's acceptable answer agreed: the suite, its SPI, the narrowed selectors and
     * the PFS secret (SK(0), null without PFS). With additional key exchanges (RFC 9370) it is
     * installed only once the IKE_FOLLOWUP_KE exchanges are done.
     */
    record Accepted(EspSuite suite, int spiOut, List<TrafficSelector> local, List<TrafficSelector> remote,
                    SecretBytes shared) {
        /** Installs the Child SA with every secret (wiped); empty, after reporting why, when it cannot be. */
        Optional<ChildSa> install(IkeSa sa, Child child, int spiIn, byte[] ni, byte[] nr, List<SecretBytes> additional,
                                  ChildSa replaces, boolean activate) {
            try {
                return Optional.of(sa.installChild(child, suite, spiIn, spiOut, ni, nr, true, shared, additional, local,
                        remote, replaces, activate));
            } catch (IpsecPortException | RuntimeException e) {
                sa.childFailed(child.name(), "cannot install the Child SA with " + sa.peer() + ": " + e.getMessage());
                return Optional.empty();
            }
        }
    }

    /** Initiator: checks the responder's answer to our child offer and completes the PFS key exchange, or reports why not. */
    static Optional<Accepted> validate(IkeSa sa, Child child, int spiIn, List<Payload> payloads, KeyExchange pfs) {
        IkeMessage m = view(payloads);
        String label = Selectors.format(Selectors.of(child.localTs())) + " <-> "
                + Selectors.format(Selectors.of(child.remoteTs()));
        Optional<NotifyPayload> error = m.all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
        if (error.isPresent()) {
            int type = error.get().notifyType();
            if (type == NotifyType.TS_UNACCEPTABLE.value()) {
                sa.childFailed(child.name(), "traffic selectors: peer " + sa.peer() + " refused " + label
                        + " (TS_UNACCEPTABLE); compare with its local/remote selectors for this tunnel");
            } else if (type == NotifyType.NO_PROPOSAL_CHOSEN.value()) {
                sa.childFailed(child.name(), "proposal mismatch: peer " + sa.peer() + " accepts none of the ESP "
                        + "proposals we offered " + Proposals.describeConfigured(child.espProposals())
                        + " (NO_PROPOSAL_CHOSEN); compare with its ESP proposals");
            } else {
                sa.childFailed(child.name(), "peer " + sa.peer() + " refused the Child SA with "
                        + error.get().type().map(Enum::name).orElse("error " + type));
            }
            return Optional.empty();
        }
        Optional<SaPayload> saPayload = m.first(SaPayload.class);
        List<TsPayload> ts = m.all(TsPayload.class);
        Optional<TsPayload> tsi = ts.stream().filter(TsPayload::initiator).findFirst();
        Optional<TsPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        if (saPayload.isEmpty() || tsi.isEmpty() || tsr.isEmpty() || saPayload.get().proposals().size() != 1) {
            sa.childFailed(child.name(), "peer " + sa.peer() + " created no Child SA (no SA/TS payloads in its answer)");
            return Optional.empty();
        }
        Proposal chosen = saPayload.get().proposals().getFirst();
        if (!Proposals.isAnswerTo(chosen, Proposals.esp(child.espProposals(), spiIn, pfs != null))
                || chosen.spi().length() != 4) {
            sa.childFailed(child.name(), "proposal mismatch: peer " + sa.peer() + " chose ESP "
                    + Proposals.describe(chosen) + ", which we did not offer");
            return Optional.empty();
        }
        List<TrafficSelector> local = tsi.get().selectors();
        List<TrafficSelector> remote = tsr.get().selectors();
        if (!Selectors.within(local, Selectors.of(child.localTs())) || !Selectors.within(remote, Selectors.of(child.remoteTs()))) {
            sa.childFailed(child.name(), "traffic selectors: peer " + sa.peer() + " answered " + Selectors.format(local)
                    + " <-> " + Selectors.format(remote) + ", outside what we proposed: " + label);
            return Optional.empty();
        }
        EspSuite suite = Proposals.espSuite(chosen);
        SecretBytes shared = null;
        if (pfs != null) {
            Optional<KePayload> ke = m.first(KePayload.class);
            if (ke.isEmpty() || ke.get().group() != suite.keyExchange().id() || pfs.method() != suite.keyExchange()) {
                sa.childFailed(child.name(), "peer " + sa.peer() + " did not complete the PFS key exchange "
                        + Suites.keName(pfs.method()));
                return Optional.empty();
            }
            try {
                shared = pfs.complete(ke.get().data());
            } catch (InvalidKeyExchangeException e) {
                sa.childFailed(child.name(), "peer " + sa.peer() + " sent an invalid PFS value: " + e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.of(new Accepted(suite, ByteBuffer.wrap(chosen.spi().toArray()).getInt(), local, remote, shared));
    }

    /**
     * Responder: picks the configured child whose selectors overlap the peer's, narrows, selects
     * the ESP proposal in our order, installs, and returns SA, [Nr], [KEr], TSi, TSr, or the error
     * notify. Empty when the request asks for no child (a childless IKE_AUTH).
     *
     * @param nonce our nonce payload for CREATE_CHILD_SA, null in IKE_AUTH
     * @param replaces the SA the peer rekeys, or null; its successor waits for its DELETE to send
     */
    static List<Payload> respond(IkeSa sa, List<Payload> request, byte[] ni, byte[] nr, Payload nonce,
                                 ChildSa replaces) {
        return respond(sa, request, ni, nr, nonce, replaces, fresh -> { });
    }

    /**
     * As above; {@code installed} runs with the new Child SA once it is in: at once, or after the
     * IKE_FOLLOWUP_KE exchanges when the chosen proposal has additional key exchanges (RFC 9370
     * §2.2.4), whose ADDITIONAL_KEY_EXCHANGE notify then goes into the answer.
     */
    static List<Payload> respond(IkeSa sa, List<Payload> request, byte[] ni, byte[] nr, Payload nonce,
                                 ChildSa replaces, java.util.function.Consumer<ChildSa> installed) {
        IkeMessage m = view(request);
        boolean createChild = nonce != null;
        Optional<SaPayload> saPayload = m.first(SaPayload.class);
        Optional<TsPayload> tsi = m.all(TsPayload.class).stream().filter(TsPayload::initiator).findFirst();
        Optional<TsPayload> tsr = m.all(TsPayload.class).stream().filter(t -> !t.initiator()).findFirst();
        if (saPayload.isEmpty() || tsi.isEmpty() || tsr.isEmpty()) {
            return createChild ? List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)) : List.of();
        }
        // Candidates: children whose selectors overlap the peer's, exact matches first (the peer
        // asked for precisely this child), then in configured order; the first whose ESP
        // proposals also match wins, so two children that differ only by proposals both work.
        List<Candidate> candidates = new ArrayList<>();
        for (Child c : sa.conn.children().values()) {
            List<TrafficSelector> l = Selectors.narrow(tsr.get().selectors(), Selectors.of(c.localTs()));
            List<TrafficSelector> r = Selectors.narrow(tsi.get().selectors(), Selectors.of(c.remoteTs()));
            if (!l.isEmpty() && !r.isEmpty()) {
                boolean exact = Selectors.toEsp(tsr.get().selectors()).size() == l.size()
                        && Selectors.within(tsr.get().selectors(), l) && Selectors.within(tsi.get().selectors(), r);
                candidates.add(new Candidate(c, l, r, exact));
            }
        }
        if (candidates.isEmpty()) {
            List<String> configured = sa.conn.children().values().stream().map(c -> Selectors.format(Selectors.of(c.localTs()))
                    + " <-> " + Selectors.format(Selectors.of(c.remoteTs()))).toList();
            Optional<String> only = sa.conn.children().size() == 1 ? sa.conn.children().keySet().stream().findFirst()
                    : Optional.empty();
            sa.n.listener.failed(sa.name(), only, "traffic selectors: peer proposed " + Selectors.format(tsr.get().selectors())
                    + " <-> " + Selectors.format(tsi.get().selectors()) + ", configured "
                    + (configured.isEmpty() ? "no children" : String.join("; ", configured)));
            return List.of(NotifyPayload.of(NotifyType.TS_UNACCEPTABLE));
        }
        candidates.sort(java.util.Comparator.comparing(c -> !c.exact()));
        List<Proposal> theirs = saPayload.get().proposals();
        if (!createChild) {
            theirs = theirs.stream().map(Proposals::withoutKe).toList();
        }
        int spiIn = sa.n.newChildSpi();
        Candidate pick = null;
        Optional<Proposal> chosen = Optional.empty();
        for (Candidate c : candidates) {
            chosen = Proposals.select(Proposals.esp(c.child().espProposals(), spiIn, createChild), theirs);
            if (chosen.isPresent() && chosen.get().spi().length() == 4) {
                pick = c;
                break;
            }
        }
        if (pick == null) {
            Child first = candidates.getFirst().child();
            sa.n.listener.failed(sa.name(), Optional.of(first.name()), "proposal mismatch: peer offered ESP "
                    + Proposals.describe(saPayload.get().proposals()) + ", we accept "
                    + Proposals.describeConfigured(first.espProposals()));
            return List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
        }
        Child child = pick.child();
        List<TrafficSelector> local = pick.local();
        List<TrafficSelector> remote = pick.remote();
        EspSuite suite = Proposals.espSuite(chosen.get());
        List<Payload> out = new ArrayList<>();
        out.add(new SaPayload(List.of(new Proposal(chosen.get().number(), chosen.get().protocolId(),
                Proposals.spiBytes(spiIn), chosen.get().transforms()))));
        if (nonce != null) {
            out.add(nonce);
        }
        SecretBytes shared = null;
        if (suite.keyExchange() != KeyExchangeMethod.NONE) {
            Optional<KePayload> ke = m.first(KePayload.class);
            int g = suite.keyExchange().id();
            if (ke.isEmpty() || ke.get().group() != g) {
                return List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, Bytes.of(new byte[] {(byte) (g >>> 8), (byte) g})));
            }
            KeyExchange ours2 = KeyExchanges.create(suite.keyExchange(), sa.n.random,
                    sa.conn.ike().allowWeakGroups() ? KeyExchanges.WeakGroups.ALLOW : KeyExchanges.WeakGroups.REFUSE);
            try {
                KeyExchange.Response r = ours2.respond(ke.get().data());
                shared = r.sharedSecret();
                out.add(new KePayload(g, r.responderShare()));
            } catch (InvalidKeyExchangeException e) {
                return List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX));
            } finally {
                ours2.destroy();
            }
        }
        int spiOut = ByteBuffer.wrap(chosen.get().spi().toArray()).getInt();
        if (!suite.additionalKeyExchanges().isEmpty()) {
            SecretBytes first = shared;
            out.add(FollowupKe.linkNotify(sa.followups.expect(suite.additionalKeyExchanges(),
                    child.name() + " Child SA", Optional.of(child.name()), new FollowupKe.Completion() {
                        @Override
                        public Optional<String> complete(List<SecretBytes> additional) {
                            try {
                                installed.accept(sa.installChild(child, suite, spiIn, spiOut, ni, nr, false, first,
                                        additional, local, remote, replaces, replaces == null));
                                return Optional.empty();
                            } catch (IpsecPortException | RuntimeException e) {
                                sa.n.releaseSpi(spiIn);
                                return Optional.of("cannot install the Child SA with " + sa.peer() + ": " + e.getMessage());
                            }
                        }

                        @Override
                        public void abandon(boolean peerBusy) {
                            if (first != null) {
                                first.destroy();
                            }
                            sa.n.releaseSpi(spiIn);
                        }
                    })));
        } else {
            try {
                installed.accept(sa.installChild(child, suite, spiIn, spiOut, ni, nr, false, shared, local, remote,
                        replaces, replaces == null));
            } catch (IpsecPortException | RuntimeException e) {
                sa.childFailed(child.name(), "cannot install the Child SA with " + sa.peer() + ": " + e.getMessage());
                return List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));
            }
        }
        out.add(new TsPayload(true, remote));
        out.add(new TsPayload(false, local));
        return out;
    }
}
