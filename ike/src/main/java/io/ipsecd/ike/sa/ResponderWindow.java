package io.ipsecd.ike.sa;

import java.util.List;

/**
 * The responder's side of RFC 7296 §2.2 with a window of one: the next request must carry the
 * expected message ID; the previous one is a retransmission, answered from the cached response
 * without processing it again; anything else is dropped.
 */
public final class ResponderWindow {
    private int expected;
    private int lastAnswered = -1;
    private List<byte[]> lastResponse = List.of();

    public enum Verdict { NEW, RETRANSMIT, DROP }

    public Verdict classify(int messageId) {
        if (messageId == expected) {
            return Verdict.NEW;
        }
        if (messageId == lastAnswered && !lastResponse.isEmpty()) {
            return Verdict.RETRANSMIT;
        }
        return Verdict.DROP;
    }

    /** Remembers the response to the request just processed and moves the window on. */
    public void answered(int messageId, List<byte[]> response) {
        if (messageId != expected) {
            throw new IllegalStateException("answered message " + messageId + " but expected " + expected);
        }
        lastAnswered = messageId;
        lastResponse = List.copyOf(response);
        expected = messageId + 1;
    }

    /** The datagrams to send again for a retransmitted request. */
    public List<byte[]> cachedResponse() {
        return lastResponse;
    }

    public int expected() {
        return expected;
    }
}
