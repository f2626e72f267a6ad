package io.ipsecd.ike.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** The outcome of validating a peer's certificate chain and identity. */
public sealed interface ChainVerdict {

    /** The chain is trusted and names the peer: end entity first, the trusted CA last. */
    record Valid(List<X509Certificate> chain) implements ChainVerdict {
        public Valid {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) throw new IllegalArgumentException("a valid chain holds at least the end entity");
        }

        public X509Certificate endEntity() {
            return chain.getFirst();
        }
    }

    /** Refused; {@code message} is for the administrator: what happened, to which certificate, what to check. */
    record Invalid(String message) implements ChainVerdict {
        public Invalid {
            Objects.requireNonNull(message, "message");
        }
    }
}
