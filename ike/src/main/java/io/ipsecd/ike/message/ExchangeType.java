package io.ipsecd.ike.message;

import java.util.Optional;

/** Exchange types: RFC 7296 §3.1 (34-37), RFC 9242 (IKE_INTERMEDIATE), RFC 9370 (IKE_FOLLOWUP_KE). */
public enum ExchangeType {
    IKE_SA_INIT(34), IKE_AUTH(35), CREATE_CHILD_SA(36), INFORMATIONAL(37), IKE_INTERMEDIATE(43), IKE_FOLLOWUP_KE(44);

    private final int value;

    ExchangeType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<ExchangeType> fromValue(int value) {
        for (ExchangeType t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
