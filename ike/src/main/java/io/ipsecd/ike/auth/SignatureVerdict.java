package io.ipsecd.ike.auth;

import java.util.Objects;

/** The outcome of checking a peer's AUTH signature against the key of its certificate. */
public sealed interface SignatureVerdict {

    /** The signature verifies; {@code scheme} says how it was made, e.g. "ECDSA-SHA384 (RFC 7427)". */
    record Valid(String scheme) implements SignatureVerdict {
        public Valid {
            Objects.requireNonNull(scheme, "scheme");
        }
    }

    /** Refused; {@code reason} is for the administrator: which scheme, what was expected, what to check. */
    record Invalid(String reason) implements SignatureVerdict {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
