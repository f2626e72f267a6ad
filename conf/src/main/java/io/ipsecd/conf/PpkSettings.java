package io.ipsecd.conf;

import java.util.Objects;

/**
 * A post-quantum preshared key (RFC 8784) of one connection: the PPK_ID both sides name it by, the
 * secret itself, and whether the tunnel may come up without it.
 *
 * @param id       the PPK_ID, sent in the clear as a PPK_ID_FIXED identity (printable ASCII)
 * @param secret   the PPK, mixed into SK_d and the AUTH keys; never shown ({@link Secret#toString()})
 * @param required true: refuse a peer that does not use this PPK; false: fall back to plain IKEv2
 */
public record PpkSettings(String id, Secret secret, boolean required) {
    /** Longest PPK_ID we accept: it travels in a notify next to the AUTH payload. */
    public static final int MAX_ID_LENGTH = 128;

    public PpkSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
    }
}
