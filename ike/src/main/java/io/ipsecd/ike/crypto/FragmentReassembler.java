package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.EncryptedFragmentPayload;
import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadCodec;
import io.ipsecd.ike.sa.EventLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles the SKF messages one peer sends to one IKE SA (RFC 7383 §2.6), with the cipher for
 * that peer's direction. Each fragment is authenticated on arrival and only an authentic one is
 * stored, so a forged fragment costs one ICV check and changes nothing (§2.6.1). Duplicates are
 * ignored, any order is accepted, and a fragment whose Total Fragments is larger than that of the
 * stored ones restarts the message (the sender re-fragmented it smaller, §2.6.2) while a smaller one
 * is dropped.
 *
 * <p>Bounds, all in {@link Limits}: at most 64 fragments and 64 KiB of reassembled content per
 * message (a certificate chain plus ML-KEM-1024 fits many times over), at most 2 messages at once
 * (a request and a response, keyed by message ID and R flag; a third evicts the oldest), and an
 * incomplete message is forgotten 30 s after its first fragment, when the sender's retransmissions
 * have long given up on it. Fragments beyond the fragment limit are dropped before any crypto.
 *
 * <p>Not thread-safe: used from the SA's event loop, whose clock drives the timeouts.
 */
public final class FragmentReassembler {

    /**
     * @param maxFragments largest Total Fragments accepted
     * @param maxBytes largest reassembled inner payload chain
     * @param maxMessages messages reassembled at the same time
     * @param timeout how long an incomplete message is kept after its first authentic fragment
     */
    public record Limits(int maxFragments, int maxBytes, int maxMessages, Duration timeout) {
        public static final Limits DEFAULT = new Limits(64, 64 * 1024, 2, Duration.ofSeconds(30));

        public Limits {
            if (maxFragments < 1 || maxFragments > 0xffff || maxBytes < 1 || maxMessages < 1 || timeout.isNegative()
                    || timeout.isZero()) {
                throw new IllegalArgumentException("fragment reassembly limits must be positive: " + maxFragments + " "
                        + maxBytes + " " + maxMessages + " " + timeout);
            }
        }
    }

    /** What one fragment did. */
    public sealed interface Result {
        /** Stored; the message still lacks fragments. */
        record Pending(int received, int total) implements Result {
        }

        /** The last fragment arrived: the whole message, authentic and decoded. */
        record Complete(IkeHeader header, List<Payload> payloads) implements Result {
            public Complete {
                payloads = List.copyOf(payloads);
            }
        }

        /** Ignored without changing anything (forged, duplicate, out of bounds); drop it silently. */
        record Dropped(String reason) implements Result {
        }

        /** Complete and authentic, but the inner payloads are malformed: answer as for a malformed SK payload. */
        record Malformed(IkeHeader header, IkeDecodeException error) implements Result {
        }
    }

    private record MessageKey(long messageId, boolean response) {
    }

    private final class Partial {
        final IkeHeader header;
        final int total;
        final byte[][] contents;
        int received;
        int bytes;
        int firstInnerType = -1;
        final EventLoop.Timer expiry;

        Partial(MessageKey key, IkeHeader header, int total) {
            this.header = header;
            this.total = total;
            this.contents = new byte[total][];
            this.expiry = loop.schedule(limits.timeout(), () -> {
                if (pending.get(key) == this) {
                    pending.remove(key);
                    wipe();
                }
            });
        }

        void wipe() {
            expiry.cancel();
            for (byte[] c : contents) {
                if (c != null) {
                    Arrays.fill(c, (byte) 0);
                }
            }
        }
    }

    private final SkCipher inbound;
    private final EventLoop loop;
    private final Limits limits;
    private final Map<MessageKey, Partial> pending = new LinkedHashMap<>();

    public FragmentReassembler(SkCipher inbound, EventLoop loop, Limits limits) {
        this.inbound = inbound;
        this.loop = loop;
        this.limits = limits;
    }

    /** Messages with some but not all fragments stored. */
    public int pendingMessages() {
        return pending.size();
    }

    /** Forgets every incomplete message and wipes its fragments (the SA is gone or changed keys). */
    public void clear() {
        pending.values().forEach(Partial::wipe);
        pending.clear();
    }

    /** Takes one SKF message: {@code message} decoded from {@code datagram}. */
    public Result accept(byte[] datagram, IkeMessage message) {
        if (message.payloads().isEmpty() || !(message.payloads().getLast() instanceof EncryptedFragmentPayload skf)) {
            return new Result.Dropped("no SKF payload");
        }
        int total = skf.totalFragments();
        int number = skf.fragmentNumber();
        if (total > limits.maxFragments()) {
            return new Result.Dropped("Total Fragments " + total + " exceeds the limit of " + limits.maxFragments());
        }
        MessageKey key = new MessageKey(message.header().messageId(), message.header().responseFlag());
        Partial partial = pending.get(key);
        if (partial != null && total < partial.total) {
            return new Result.Dropped("Total Fragments " + total + " is smaller than the " + partial.total
                    + " of the fragments already received");
        }
        if (partial != null && total == partial.total && partial.contents[number - 1] != null) {
            return new Result.Dropped("duplicate fragment " + number + "/" + total);
        }
        IkeFragmenter.Opened opened = IkeFragmenter.open(datagram, skf, inbound);
        if (!(opened instanceof IkeFragmenter.Opened.Content(byte[] content))) {
            return new Result.Dropped(((IkeFragmenter.Opened.Dropped) opened).reason());
        }
        if (partial != null && total > partial.total) {
            // Authentic and larger: the sender fragmented the message again, smaller (RFC 7383 §2.6.2).
            pending.remove(key);
            partial.wipe();
            partial = null;
        }
        if (partial == null) {
            evictOldestIfFull();
            partial = new Partial(key, message.header(), total);
            pending.put(key, partial);
        }
        partial.contents[number - 1] = content;
        partial.received++;
        partial.bytes += content.length;
        if (number == 1) {
            partial.firstInnerType = skf.firstInnerPayloadType();
        }
        if (partial.bytes > limits.maxBytes()) {
            pending.remove(key);
            partial.wipe();
            return new Result.Dropped("message " + key.messageId() + " exceeds " + limits.maxBytes()
                    + " bytes of fragments; all its fragments dropped");
        }
        if (partial.received < total) {
            return new Result.Pending(partial.received, total);
        }
        pending.remove(key);
        return complete(partial);
    }

    private void evictOldestIfFull() {
        Iterator<Partial> oldest = pending.values().iterator();
        while (pending.size() >= limits.maxMessages() && oldest.hasNext()) {
            Partial p = oldest.next();
            oldest.remove();
            p.wipe();
        }
    }

    private Result complete(Partial partial) {
        byte[] chain = new byte[partial.bytes];
        int at = 0;
        for (byte[] c : partial.contents) {
            System.arraycopy(c, 0, chain, at, c.length);
            at += c.length;
        }
        partial.wipe();
        try {
            return new Result.Complete(partial.header, PayloadCodec.decodeInnerChain(partial.firstInnerType, chain,
                    chain.length));
        } catch (IkeDecodeException e) {
            return new Result.Malformed(partial.header, e);
        } finally {
            Arrays.fill(chain, (byte) 0);
        }
    }
}
