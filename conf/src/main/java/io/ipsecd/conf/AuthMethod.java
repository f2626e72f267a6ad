package io.ipsecd.conf;

/** Authentication methods. Certificates ("pubkey") come later. */
public enum AuthMethod {
    PSK;

    public String keyword() {
        return "psk";
    }
}
