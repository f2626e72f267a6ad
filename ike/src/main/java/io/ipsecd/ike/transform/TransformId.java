package io.ipsecd.ike.transform;

/** An IANA-registered transform: its type and its number within that type. */
public interface TransformId {
    TransformType transformType();

    int id();
}
