package io.ipsecd.conf;

import java.util.Locale;

/** What to do when DPD declares the peer dead. */
public enum DpdAction {
    /** Re-establish the IKE SA and its children at once. */
    RESTART,
    /** Tear down and install trap policies: re-establish on the next matching packet. */
    TRAP,
    /** Tear down and forget. */
    CLEAR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
