package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.Payload;
import java.util.List;

/** What opening an SK payload gave. */
public sealed interface SkOpenResult {

    /** Authentic, decrypted and decoded: the inner payloads in order. */
    record Opened(List<Payload> payloads) implements SkOpenResult {
        public Opened {
            payloads = List.copyOf(payloads);
        }
    }

    /**
     * Not authentic (ICV mismatch) or not even shaped like an SK payload. RFC 7296 §2.21.2: drop it
     * silently, do not answer, do not touch the SA's state.
     */
    record Rejected(String reason) implements SkOpenResult {
    }

    /** Authentic, but the inner payloads are malformed: answer (protected) with {@code error}'s notify type. */
    record Malformed(IkeDecodeException error) implements SkOpenResult {
    }
}
