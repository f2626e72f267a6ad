package io.ipsecd.ike.transform;

import java.util.Optional;

/**
 * Transform type 4 (Key Exchange Method, formerly D-H group) IDs. Sources: RFC 7296 §3.3.2 and
 * RFC 3526 (MODP 1, 2, 5, 14-18), RFC 5903 (ECP 19-21), RFC 8031 (Curve25519 31, Curve448 32),
 * ML-KEM 35-37 from the IANA registry for draft-ietf-ipsecme-ikev2-mlkem (not implemented yet).
 *
 * <p>{@code weak}: groups a gateway must not offer by default (768-1536-bit MODP); creating one
 * needs an explicit opt-in in {@code KeyExchanges}.
 */
public enum KeyExchangeMethod implements TransformId {
    NONE(0, 0, false),
    MODP_768(1, 96, true),
    MODP_1024(2, 128, true),
    MODP_1536(5, 192, true),
    MODP_2048(14, 256, false),
    MODP_3072(15, 384, false),
    MODP_4096(16, 512, false),
    MODP_6144(17, 768, false),
    MODP_8192(18, 1024, false),
    ECP_256(19, 64, false),
    ECP_384(20, 96, false),
    ECP_521(21, 132, false),
    CURVE25519(31, 32, false),
    CURVE448(32, 56, false),
    ML_KEM_512(35, 800, false),
    ML_KEM_768(36, 1184, false),
    ML_KEM_1024(37, 1568, false);

    private final int id;
    private final int initiatorShareBytes;
    private final boolean weak;

    KeyExchangeMethod(int id, int initiatorShareBytes, boolean weak) {
        this.id = id;
        this.initiatorShareBytes = initiatorShareBytes;
        this.weak = weak;
    }

    @Override
    public TransformType transformType() {
        return TransformType.KE;
    }

    @Override
    public int id() {
        return id;
    }

    public boolean isWeak() {
        return weak;
    }

    /** Exact length of the initiator's KE payload data (for DH, of either side's). */
    public int initiatorShareBytes() {
        return initiatorShareBytes;
    }

    public static Optional<KeyExchangeMethod> fromId(int id) {
        return TransformId.find(KeyExchangeMethod.class, id);
    }
}
