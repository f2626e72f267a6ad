package io.ipsecd.conf;

import java.util.Objects;

/** An IKE identity: its kind and its value as written (for KEY_ID: the hex digits, lower case). */
public record Identity(IdKind kind, String value) {
    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return kind == IdKind.KEY_ID ? "keyid:" + value : value;
    }
}
