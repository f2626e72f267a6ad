package io.ipsecd.ike.message;

import java.util.List;
import java.util.Optional;

/**
 * A decoded (or to-be-encoded) IKE message: header and payloads in wire order. For a protected
 * message the payload list ends with the still-encrypted {@link SkPayload}; the crypto layer's
 * {@code SkCodec} yields the inner payloads.
 */
public record IkeMessage(IkeHeader header, List<Payload> payloads) {
    public IkeMessage {
        payloads = List.copyOf(payloads);
    }

    public IkeMessage(IkeHeader header, Payload... payloads) {
        this(header, List.of(payloads));
    }

    /** The first payload of a kind, e.g. {@code first(NoncePayload.class)}. */
    public <T extends Payload> Optional<T> first(Class<T> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    public <T extends Payload> List<T> all(Class<T> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public Optional<NotifyPayload> notify(NotifyType type) {
        return all(NotifyPayload.class).stream().filter(n -> n.notifyType() == type.value()).findFirst();
    }
}
