package io.ipsecd.ike.transform;

/** Transform type 5 (Extended Sequence Numbers) IDs, RFC 7296 §3.3.2. */
public enum EsnMode implements TransformId {
    NO_ESN(0), ESN(1);

    private final int id;

    EsnMode(int id) {
        this.id = id;
    }

    @Override
    public TransformType transformType() {
        return TransformType.ESN;
    }

    @Override
    public int id() {
        return id;
    }
}
