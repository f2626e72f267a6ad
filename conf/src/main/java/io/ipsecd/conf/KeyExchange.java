package io.ipsecd.conf;

import java.util.List;
import java.util.Optional;

/** Key exchange methods (IKEv2 transform type 4 and, RFC 9370, types 6..12), strongSwan names. */
public enum KeyExchange {
    MODP1024("modp1024", 2),
    MODP1536("modp1536", 5),
    MODP2048("modp2048", 14),
    MODP3072("modp3072", 15),
    MODP4096("modp4096", 16),
    ECP256("ecp256", 19),
    ECP384("ecp384", 20),
    ECP521("ecp521", 21),
    X25519("x25519", 31, "curve25519"),
    X448("x448", 32, "curve448"),
    MLKEM512("mlkem512", 35),
    MLKEM768("mlkem768", 36),
    MLKEM1024("mlkem1024", 37);

    private final String keyword;
    private final int transformId;
    private final List<String> aliases;

    KeyExchange(String keyword, int transformId, String... aliases) {
        this.keyword = keyword;
        this.transformId = transformId;
        this.aliases = List.of(aliases);
    }

    public String keyword() {
        return keyword;
    }

    /** The IANA group number ("DH group"). */
    public int transformId() {
        return transformId;
    }

    /** MODP groups 2 and 5: refused unless {@code ike.allow_weak_groups} is true. */
    public boolean weak() {
        return this == MODP1024 || this == MODP1536;
    }

    /** ML-KEM: allowed only as an additional key exchange (ke1_ .. ke7_). */
    public boolean additionalOnly() {
        return this == MLKEM512 || this == MLKEM768 || this == MLKEM1024;
    }

    public static Optional<KeyExchange> byKeyword(String word) {
        for (KeyExchange k : values()) {
            if (k.keyword.equals(word) || k.aliases.contains(word)) return Optional.of(k);
        }
        return Optional.empty();
    }
}
