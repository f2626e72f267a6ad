package io.ipsecd.conf;

import java.util.Objects;

/** The {@code global:} section: control socket and logging. */
public record Global(Control control, Logging logging) {
    public Global {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(logging, "logging");
    }

    public static Global defaults() {
        return new Global(Control.defaults(), Logging.defaults());
    }
}
