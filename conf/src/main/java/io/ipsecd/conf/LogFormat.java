package io.ipsecd.conf;

import java.util.Locale;

/** Log line format. */
public enum LogFormat {
    TEXT, JSON;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
