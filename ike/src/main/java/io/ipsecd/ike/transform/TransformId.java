package io.ipsecd.ike.transform;

import java.util.Optional;

/** An IANA-registered transform: its type and its number within that type. */
public interface TransformId {
    TransformType transformType();

    int id();

    /** The constant of {@code type} registered under {@code id}, if we know it. */
    static <E extends Enum<E> & TransformId> Optional<E> find(Class<E> type, int id) {
        for (E e : type.getEnumConstants()) {
            if (e.id() == id) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
