package io.ipsecd.conf;

import java.util.List;
import java.util.Optional;

/** Encryption transforms (IKEv2 transform type 1), named as strongSwan names them. */
public enum Encryption {
    AES128("aes128", 12, 128, false),
    AES256("aes256", 12, 256, false),
    AES128GCM16("aes128gcm16", 20, 128, true, "aes128gcm128"),
    AES256GCM16("aes256gcm16", 20, 256, true, "aes256gcm128"),
    CHACHA20POLY1305("chacha20poly1305", 28, 256, true);

    private final String keyword;
    private final int transformId;
    private final int keyBits;
    private final boolean aead;
    private final List<String> aliases;

    Encryption(String keyword, int transformId, int keyBits, boolean aead, String... aliases) {
        this.keyword = keyword;
        this.transformId = transformId;
        this.keyBits = keyBits;
        this.aead = aead;
        this.aliases = List.of(aliases);
    }

    public String keyword() {
        return keyword;
    }

    /** ENCR_* transform ID; for AES it goes with a Key Length attribute of {@link #keyBits()}. */
    public int transformId() {
        return transformId;
    }

    public int keyBits() {
        return keyBits;
    }

    /** Authenticated encryption: needs no integrity transform. */
    public boolean aead() {
        return aead;
    }

    public static Optional<Encryption> byKeyword(String word) {
        for (Encryption e : values()) {
            if (e.keyword.equals(word) || e.aliases.contains(word)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
