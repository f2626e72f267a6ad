package io.ipsecd.conf;

import java.util.Objects;

/** The {@code global:} section: control socket, logging, and IKE retransmission. */
public record Global(Control control, Logging logging, Retransmit retransmit) {
    public Global {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(retransmit, "retransmit");
    }

    public Global(Control control, Logging logging) {
        this(control, logging, Retransmit.defaults());
    }

    public static Global defaults() {
        return new Global(Control.defaults(), Logging.defaults());
    }
}
