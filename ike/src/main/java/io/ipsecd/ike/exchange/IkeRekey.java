package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NoncePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.SaPayload;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder's side of an IKE SA rekey (RFC 7296 §1.3.2, §2.18): CREATE_CHILD_SA with an IKE
 * proposal, nonce and KE. The new IKE SA gets the peer's new SPI as initiator SPI (the rekey's
 * initiator becomes the new SA's original initiator), keys from the old SK_d, and the Child SAs;
 * the peer then deletes the old IKE SA, which by then owns nothing.
 */
final class IkeRekey {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private IkeRekey() {
    }

    static Task.Reply respond(IkeSa old, List<Payload> request) {
        IkeMessage m = ChildExchange.view(request);
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<NoncePayload> ni = m.first(NoncePayload.class);
        Optional<KePayload> ke = m.first(KePayload.class);
        if (sa.isEmpty() || ni.isEmpty() || ke.isEmpty()) {
            return new Task.Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
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
        fresh.deriveRekeyedKeys(old, suite, response.sharedSecret());
        fresh.peerIdText = old.peerIdText;
        fresh.natDetected = old.natDetected;
        fresh.children.addAll(old.children);
        old.children.clear();
        old.rekeyed = true;
        fresh.established();
        log.info("{}: IKE SA rekeyed by {}: {} -> {}", old.name(), old.peer(), Long.toHexString(old.ourSpi()),
                Long.toHexString(fresh.ourSpi()));
        Proposal answer = new Proposal(chosen.get().number(), chosen.get().protocolId(),
                Bytes.of(ByteBuffer.allocate(8).putLong(fresh.spiR).array()), chosen.get().transforms());
        return new Task.Reply(List.of(new SaPayload(List.of(answer)), new NoncePayload(Bytes.of(fresh.nr)),
                new KePayload(group, response.responderShare())));
    }
}
