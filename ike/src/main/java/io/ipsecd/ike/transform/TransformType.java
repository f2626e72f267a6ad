package io.ipsecd.ike.transform;

import java.util.Optional;

/**
 * IKEv2 transform types (RFC 7296 §3.3.2; type 4 renamed "Key Exchange Method" and types 6-12
 * "Additional Key Exchange 1..7" by RFC 9370).
 */
public enum TransformType {
    ENCR(1), PRF(2), INTEG(3), KE(4), ESN(5),
    ADDKE1(6), ADDKE2(7), ADDKE3(8), ADDKE4(9), ADDKE5(10), ADDKE6(11), ADDKE7(12);

    private final int value;

    TransformType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<TransformType> fromValue(int value) {
        return value >= 1 && value <= 12 ? Optional.of(values()[value - 1]) : Optional.empty();
    }
}
