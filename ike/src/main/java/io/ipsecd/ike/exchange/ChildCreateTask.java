package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
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
 * child's ESP proposals name one. A peer's Child SA rekey (REKEY_SA) is answered as a new child
 * (same reqid, so the policy moves to it); the peer then deletes the old one. A peer's IKE SA
 * rekey goes to {@link IkeRekeyTask}.
 */
final class ChildCreateTask implements Task {
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

    @Override
    public List<Payload> build(IkeSa sa) {
        spiIn = sa.n.newChildSpi();
        ni = sa.n.random.bytes(IkeInitTask.NONCE_BYTES);
        KeyExchangeMethod group = ChildExchange.pfsGroup(child);
        List<Payload> offer = ChildExchange.offer(child, spiIn, group != KeyExchangeMethod.NONE);
        List<Payload> payloads = new ArrayList<>();
        if (replaces != null) {
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
            boolean error = payloads.stream().anyMatch(p -> p instanceof NotifyPayload n && n.isError());
            if (nr.isEmpty() && !error) {
                sa.childFailed(child.name(), "peer " + sa.peer() + " answered CREATE_CHILD_SA without a nonce");
                return Result.DONE;
            }
            int before = sa.children.size();
            ChildExchange.accept(sa, child, spiIn, payloads, ni, nr.map(x -> x.nonce().toArray()).orElse(null), pfs);
            if (replaces != null && sa.children.size() > before && sa.children.contains(replaces)) {
                sa.enqueue(new ChildDeleteTask(replaces)); // make before break: the new SA is in, the old goes
            }
            return Result.DONE;
        } finally {
            if (pfs != null) {
                pfs.destroy();
            }
        }
    }

    @Override
    public void gaveUp(IkeSa sa, io.ipsecd.ike.sa.Retransmitter.GiveUp giveUp) {
        if (pfs != null) {
            pfs.destroy();
        }
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
        byte[] nr = sa.n.random.bytes(IkeInitTask.NONCE_BYTES);
        return new Reply(ChildExchange.respond(sa, request, ni.get().nonce().toArray(), nr,
                new NoncePayload(Bytes.of(nr))));
    }
}
