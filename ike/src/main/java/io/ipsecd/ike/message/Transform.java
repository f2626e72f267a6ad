package io.ipsecd.ike.message;

import io.ipsecd.ike.transform.TransformId;
import io.ipsecd.ike.transform.TransformType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One transform substructure (RFC 7296 §3.3.2). Type and ID are wire numbers: a proposal with
 * transforms we do not know is still well-formed, just unacceptable.
 */
public record Transform(int type, int id, List<TransformAttribute> attributes) {
    public Transform {
        attributes = List.copyOf(attributes);
        if (type < 0 || type > 255 || id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("transform field out of range");
        }
    }

    public static Transform of(TransformId id) {
        return new Transform(id.transformType().value(), id.id(), List.of());
    }

    /** A transform with the Key Length attribute (type 14, TV format), as AES needs. */
    public static Transform of(TransformId id, int keyBits) {
        return new Transform(id.transformType().value(), id.id(),
                List.of(new TransformAttribute.Tv(TransformAttribute.KEY_LENGTH, keyBits)));
    }

    public Optional<TransformType> transformType() {
        return TransformType.fromValue(type);
    }

    /** The Key Length attribute in bits, if present in its TV form. */
    public OptionalInt keyLength() {
        for (TransformAttribute a : attributes) {
            if (a instanceof TransformAttribute.Tv(int attrType, int value) && attrType == TransformAttribute.KEY_LENGTH) {
                return OptionalInt.of(value);
            }
        }
        return OptionalInt.empty();
    }
}
