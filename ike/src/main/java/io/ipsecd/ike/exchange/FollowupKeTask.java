package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.DeletePayload;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.ProtocolId;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The initiator's IKE_FOLLOWUP_KE exchanges after a CREATE_CHILD_SA whose answer chose additional
 * key exchanges ({@link FollowupKe}): one round per method, each right after the one before (the
 * task puts itself first in the queue again), then the {@link FollowupKe.Completion} with every
 * secret. When the peer refuses a round or answers with something unusable, the half-made SA is
 * given up with an admin message: a Child SA's SPI is DELETEd at the peer (it may hold state for
 * it) and then released, a new IKE SA is forgotten (it never had keys).
 */
final class FollowupKeTask implements Task {
    private final List<KeyExchangeMethod> methods;
    private final String what;
    private final Optional<String> child;
    /** Our inbound SPI of a half-made Child SA, DELETEd at the peer on failure; 0 for an IKE SA rekey. */
    private final int childSpi;
    private final FollowupKe.Completion completion;
    private final List<SecretBytes> secrets = new ArrayList<>();
    private Bytes link;
    private KeyExchange ke;
    private boolean finished;

    /**
     * @param link     the ADDITIONAL_KEY_EXCHANGE data of the CREATE_CHILD_SA answer
     * @param what     the SA being made, for admin messages ("net Child SA", "IKE SA rekey")
     * @param childSpi our inbound SPI when a Child SA is being made, else 0
     */
    FollowupKeTask(List<KeyExchangeMethod> methods, Bytes link, String what, Optional<String> child, int childSpi,
                   FollowupKe.Completion completion) {
        this.methods = List.copyOf(methods);
        this.link = link;
        this.what = what;
        this.child = child;
        this.childSpi = childSpi;
        this.completion = completion;
    }

    /** Whether this chain completes an IKE SA rekey (its SA is the old one until the end). */
    boolean rekeysIkeSa() {
        return childSpi == 0;
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_FOLLOWUP_KE;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        if (ke != null) {
            ke.destroy();
        }
        ke = KeyExchanges.create(methods.get(secrets.size()), sa.n.random, FollowupKe.weak(sa));
        return List.of(new KePayload(ke.method().id(), ke.initiatorShare()), FollowupKe.linkNotify(link));
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        IkeMessage m = ChildExchange.view(payloads);
        String round = FollowupKe.describe(methods, secrets.size());
        try {
            Optional<NotifyPayload> error = m.all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
            if (error.isPresent()) {
                int type = error.get().notifyType();
                giveUp(sa, "peer " + sa.peer() + " refused " + round + " with " + error.get().type().map(Enum::name)
                        .orElse("error " + type), type == NotifyType.TEMPORARY_FAILURE.value());
                return Result.DONE;
            }
            Optional<KePayload> kr = m.first(KePayload.class);
            if (kr.isEmpty() || kr.get().group() != ke.method().id()) {
                giveUp(sa, "peer " + sa.peer() + " answered " + round + " without its KE payload", false);
                return Result.DONE;
            }
            secrets.add(ke.complete(kr.get().data()));
        } catch (InvalidKeyExchangeException e) {
            giveUp(sa, "peer " + sa.peer() + " sent an invalid value for " + round + ": " + e.getMessage(), false);
            return Result.DONE;
        } finally {
            if (ke != null) {
                ke.destroy();
                ke = null;
            }
        }
        if (secrets.size() < methods.size()) {
            Optional<Bytes> next = FollowupKe.link(m);
            if (next.isEmpty()) {
                giveUp(sa, "peer " + sa.peer() + " ended the additional key exchanges after " + secrets.size() + " of "
                        + methods.size() + " (no ADDITIONAL_KEY_EXCHANGE notify)", false);
                return Result.DONE;
            }
            link = next.get();
            sa.runNext(List.<Task>of(this));
            return Result.DONE;
        }
        finished = true;
        Optional<String> failed = completion.complete(List.copyOf(secrets));
        secrets.clear();
        if (failed.isPresent()) {
            sa.n.listener.failed(sa.name(), child, failed.get());
            deleteAtPeer(sa);
        }
        return Result.DONE;
    }

    /** The half-made SA goes: reported, released, and a Child SA's SPI DELETEd at the peer. */
    private void giveUp(IkeSa sa, String why, boolean peerBusy) {
        finished = true;
        sa.n.listener.failed(sa.name(), child, what + " with " + sa.peer() + " not created: " + why);
        release();
        completion.abandon(peerBusy);
        deleteAtPeer(sa);
    }

    /** Our SPI is released only once the peer knows it is gone, so no new Child SA reuses it before. */
    private void deleteAtPeer(IkeSa sa) {
        if (childSpi == 0) {
            return;
        }
        if (sa.state == IkeSa.State.ESTABLISHED) {
            sa.runNext(List.<Task>of(new DeleteHalfMade(childSpi)));
        } else {
            sa.n.releaseSpi(childSpi);
        }
    }

    private void release() {
        secrets.forEach(SecretBytes::destroy);
        secrets.clear();
        if (ke != null) {
            ke.destroy();
            ke = null;
        }
    }

    @Override
    public void abandoned(IkeSa sa) {
        if (!finished) {
            finished = true;
            release();
            completion.abandon(false);
            if (childSpi != 0) {
                sa.n.releaseSpi(childSpi);
            }
        }
    }

    @Override
    public void gaveUp(IkeSa sa, io.ipsecd.ike.sa.Retransmitter.GiveUp giveUp) {
        abandoned(sa);
        Task.super.gaveUp(sa, giveUp);
    }

    /**
     * INFORMATIONAL with a DELETE of a Child SA SPI that never got installed here: the peer may have
     * kept state for it after our failed IKE_FOLLOWUP_KE; one that has none answers it empty.
     */
    static final class DeleteHalfMade implements Task {
        private final int spi;

        DeleteHalfMade(int spi) {
            this.spi = spi;
        }

        @Override
        public ExchangeType exchange() {
            return ExchangeType.INFORMATIONAL;
        }

        @Override
        public List<Payload> build(IkeSa sa) {
            return List.of(new DeletePayload(ProtocolId.ESP.value(), 4, List.of(Proposals.spiBytes(spi))));
        }

        @Override
        public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
            sa.n.releaseSpi(spi);
            return Result.DONE;
        }

        @Override
        public void abandoned(IkeSa sa) {
            sa.n.releaseSpi(spi);
        }

        @Override
        public void gaveUp(IkeSa sa, io.ipsecd.ike.sa.Retransmitter.GiveUp giveUp) {
            abandoned(sa);
            Task.super.gaveUp(sa, giveUp);
        }
    }
}
