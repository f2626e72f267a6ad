package io.ipsecd.conf;

import java.util.Locale;

/** What to do with a child SA when the configuration is loaded. */
public enum StartAction {
    /** Wait for the peer to initiate. */
    NONE,
    /** Install trap policies; initiate on the first matching packet. */
    TRAP,
    /** Initiate at once. */
    START;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
