package io.ipsecd.ike.auth;

import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;

/** AUTH payload content: the authentication method number (RFC 7296 §3.8) and its data. */
public record AuthValue(int method, byte[] data) {
    public AuthValue {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public AuthPayload toPayload() {
        return new AuthPayload(method, Bytes.of(data));
    }

    public static AuthValue of(AuthPayload payload) {
        return new AuthValue(payload.method(), payload.data().toArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthValue other && method == other.method && java.util.Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * method + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthValue[method=" + method + ", " + data.length + " bytes]";
    }
}
