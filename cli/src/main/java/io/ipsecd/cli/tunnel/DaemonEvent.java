package io.ipsecd.cli.tunnel;

import java.time.Instant;

/** Something an admin watching {@code ipsecctl monitor} wants to see. */
public record DaemonEvent(Instant at, String type, String connection, String message) {}
