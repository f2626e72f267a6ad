package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IdPayload;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * IKE_AUTH (RFC 7296 §1.2, §2.15): identities, AUTH over the signed octets (the PSK MAC here, a
 * certificate signature in {@link PubkeyAuth}), INITIAL_CONTACT, and the first Child SA.
 */
final class IkeAuthTask implements Task {
    private final Child child;
    private int spiIn;

    /** @param child the Child SA to create along, or null for a childless IKE SA */
    IkeAuthTask(Child child) {
        this.child = child;
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_AUTH;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        IdPayload idi = Identities.payload(true, sa.conn.local().id());
        List<Payload> payloads = new ArrayList<>();
        payloads.add(idi);
        payloads.addAll(PubkeyAuth.certificates(sa, null));
        if (sa.n.firstWith(sa)) {
            payloads.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
        }
        List<Payload> ppkNotifies = Ppk.initiatorNotifies(sa, () -> auth(sa, true, idi));
        Optional<AuthPayload> ours = ourAuth(sa, idi);
        if (ours.isEmpty()) {
            return List.of(); // the IKE SA failed: our certificate cannot sign
        }
        payloads.add(ours.get());
        payloads.addAll(ppkNotifies);
        if (child != null) {
            spiIn = sa.n.newChildSpi();
            payloads.addAll(ChildExchange.offer(child, spiIn, false));
        }
        return payloads;
    }

    /** Our AUTH payload: signed with our certificate's key (auth: pubkey) or the PSK MAC. Empty: the SA failed. */
    private static Optional<AuthPayload> ourAuth(IkeSa sa, IdPayload ourId) {
        return PubkeyAuth.signs(sa.conn) ? PubkeyAuth.sign(sa, ourId)
                : Optional.of(new AuthPayload(AuthPayload.SHARED_KEY_MIC, Bytes.of(auth(sa, true, ourId))));
    }

    /** The PSK AUTH value: ours to send ({@code ours}) or the one the peer must have sent. */
    private static byte[] auth(IkeSa sa, boolean ours, IdPayload id) {
        if (ours && PubkeyAuth.signs(sa.conn)) {
            return PubkeyAuth.signatureData(sa, id);
        }
        byte[] psk = sa.conn.psk().orElseThrow().bytes();
        byte[] octets = SaKeying.signedOctets(sa, ours, id);
        try {
            return Identities.pskAuth(sa.prf, psk, octets);
        } finally {
            Arrays.fill(psk, (byte) 0);
            Arrays.fill(octets, (byte) 0);
        }
    }

    private static boolean pskVerifies(IkeSa sa, IdPayload peerId, AuthPayload auth) {
        byte[] expected = auth(sa, false, peerId);
        boolean ok = auth.method() == AuthPayload.SHARED_KEY_MIC && MessageDigest.isEqual(expected, auth.data().toArray());
        Arrays.fill(expected, (byte) 0);
        return ok;
    }

    static String pskMismatch(IkeSa sa) {
        return "authentication failed: PSK mismatch with " + sa.peer() + " (id " + sa.conn.remote().id() + ")";
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        IkeMessage m = ChildExchange.view(payloads);
        if (m.notify(NotifyType.AUTHENTICATION_FAILED).isPresent() && PubkeyAuth.signs(sa.conn)) {
            sa.fail(Optional.empty(), PubkeyAuth.refusedByPeer(sa));
            return Result.DONE;
        }
        if (m.notify(NotifyType.AUTHENTICATION_FAILED).isPresent()) {
            sa.fail(Optional.empty(), Ppk.initiatorMismatch(sa, true).orElse(pskMismatch(sa) + ": the peer refused our "
                    + "AUTH; check that both sides have the same PSK and that the peer expects id " + sa.conn.local().id()));
            return Result.DONE;
        }
        Optional<IdPayload> idr = m.all(IdPayload.class).stream().filter(i -> !i.initiator()).findFirst();
        Optional<AuthPayload> auth = m.first(AuthPayload.class);
        if (idr.isEmpty() || auth.isEmpty()) {
            Optional<NotifyPayload> error = m.all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
            sa.fail(Optional.empty(), "peer " + sa.peer() + " refused IKE_AUTH"
                    + error.map(e -> " with " + e.type().map(Enum::name).orElse("error " + e.notifyType())).orElse(""));
            return Result.DONE;
        }
        if (!Identities.matches(idr.get(), sa.conn.remote().id())) {
            return refuseResponder(sa, "authentication failed: peer " + sa.peer() + " identified as '"
                    + Identities.text(idr.get()) + "', but remote.id is '" + sa.conn.remote().id() + "'");
        }
        Optional<String> ppkFailure = Ppk.initiatorChecks(sa, m);
        if (ppkFailure.isPresent()) {
            return refuseResponder(sa, ppkFailure.get());
        }
        if (PubkeyAuth.verifies(sa.conn)) {
            Optional<String> refused = PubkeyAuth.verify(sa, m, idr.get(), auth.get().method(), auth.get().data().toArray());
            if (refused.isPresent()) {
                return refuseResponder(sa, refused.get());
            }
        } else if (!pskVerifies(sa, idr.get(), auth.get())) {
            return refuseResponder(sa, Ppk.initiatorMismatch(sa, false)
                    .orElse(pskMismatch(sa) + ": its AUTH does not verify with our PSK"));
        }
        sa.peerIdText = Identities.text(idr.get());
        Ppk.settle(sa);
        if (sa.peerAuth.isEmpty()) {
            sa.peerAuth = "pre-shared key";
        }
        sa.established();
        if (child != null) {
            ChildExchange.accept(sa, child, spiIn, payloads, sa.ni, sa.nr, null, null, true);
        }
        return Result.DONE;
    }

    /**
     * The responder answered IKE_AUTH and believes the IKE SA established, but we refuse it: tell
     * it with AUTHENTICATION_FAILED (RFC 7296 §2.21.2) so it does not keep the SA, then fail.
     */
    private static Result refuseResponder(IkeSa sa, String message) {
        sa.runNext(List.of(new AuthFailedTask(message)));
        return Result.DONE;
    }

    // ---- responder -----------------------------------------------------------------------------

    static Reply respond(IkeSa sa, List<Payload> request) {
        IkeMessage m = ChildExchange.view(request);
        Connection conn = sa.conn;
        Optional<IdPayload> idi = m.all(IdPayload.class).stream().filter(IdPayload::initiator).findFirst();
        Optional<AuthPayload> auth = m.first(AuthPayload.class);
        if (idi.isEmpty() || auth.isEmpty()) {
            return refuse(sa, "peer " + sa.peer() + " sent IKE_AUTH without ID or AUTH (EAP is not supported)");
        }
        if (auth.get().method() != AuthPayload.SHARED_KEY_MIC && !PubkeyAuth.verifies(conn)) {
            return refuse(sa, "authentication failed: peer " + sa.peer() + " uses AUTH method " + auth.get().method()
                    + ", but this connection authenticates with a PSK");
        }
        if (!Identities.matches(idi.get(), conn.remote().id())) {
            return refuse(sa, "authentication failed: peer " + sa.peer() + " identified as '"
                    + Identities.text(idi.get()) + "', but remote.id is '" + conn.remote().id() + "'");
        }
        Optional<String> ppkRefusal = Ppk.responderChooses(sa, m);
        if (ppkRefusal.isPresent()) {
            return refuse(sa, ppkRefusal.get());
        }
        if (PubkeyAuth.verifies(conn)) {
            Optional<String> refused = PubkeyAuth.verify(sa, m, idi.get(), auth.get().method(),
                    Ppk.receivedAuth(sa, m, auth.get()));
            if (refused.isPresent()) {
                return refuse(sa, refused.get());
            }
        } else {
            byte[] expected = auth(sa, false, idi.get());
            boolean ok = MessageDigest.isEqual(expected, Ppk.receivedAuth(sa, m, auth.get()));
            Arrays.fill(expected, (byte) 0);
            if (!ok) {
                return refuse(sa, Ppk.responderMismatch(sa, m, () -> auth(sa, false, idi.get())).orElse(pskMismatch(sa)));
            }
        }
        sa.peerIdText = Identities.text(idi.get());
        if (m.notify(NotifyType.INITIAL_CONTACT).isPresent()) {
            sa.n.initialContact(sa);
        }
        IdPayload idr = Identities.payload(false, conn.local().id());
        List<Payload> out = new ArrayList<>();
        out.add(idr);
        out.addAll(PubkeyAuth.certificates(sa, m));
        Optional<AuthPayload> ours = ourAuth(sa, idr);
        if (ours.isEmpty()) {
            return new Reply(List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)));
        }
        out.add(ours.get());
        out.addAll(Ppk.confirmation(sa));
        Ppk.settle(sa);
        if (sa.peerAuth.isEmpty()) {
            sa.peerAuth = "pre-shared key";
        }
        sa.established();
        out.addAll(ChildExchange.respond(sa, request, sa.ni, sa.nr, null, null));
        return new Reply(out);
    }

    /** AUTHENTICATION_FAILED to the peer (RFC 7296 §2.21.2), the reason to the admin, then the SA goes. */
    private static Reply refuse(IkeSa sa, String message) {
        return new Reply(List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)),
                () -> sa.fail(Optional.empty(), message));
    }
}
