package io.ipsecd.ike.message;

import java.util.Optional;

/** Identification types (RFC 7296 §3.5). */
public enum IdType {
    IPV4_ADDR(1), FQDN(2), RFC822_ADDR(3), IPV6_ADDR(5), DER_ASN1_DN(9), DER_ASN1_GN(10), KEY_ID(11);

    private final int value;

    IdType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<IdType> fromValue(int value) {
        for (IdType t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
