package io.ipsecd.testbed;

import io.ipsecd.testbed.SaInfo.IkeSa;
import java.time.Duration;
import java.util.List;

/** A running IKE daemon in a gateway namespace of a lab. Closing it stops the daemon. */
public sealed interface Gateway extends AutoCloseable permits StrongSwan, Ipsecd {
    /** Human-readable peer description, e.g. "strongSwan 6.1.0 (sid container)". */
    String describe();

    Site site();

    /** Writes the daemon's configuration for these tunnels and loads it. */
    void load(List<TunnelConfig> tunnels);

    /** Brings up one child of a connection; returns when it is up or throws after {@code timeout}. */
    void initiate(String connection, String child, Duration timeout);

    void terminate(String connection);

    List<IkeSa> listSas();

    @Override
    void close();
}
