package io.ipsecd.conf;

import java.util.Locale;

/** How one side of a connection proves its identity: a pre-shared key or a certificate and its private key. */
public enum AuthMethod {
    PSK,
    /** A certificate: the local side signs with its private key, the remote side's chain is checked against cacerts. */
    PUBKEY;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
