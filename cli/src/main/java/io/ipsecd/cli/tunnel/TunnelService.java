package io.ipsecd.cli.tunnel;

import io.ipsecd.conf.Config;
import io.ipsecd.conf.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The negotiator as the daemon sees it: what {@code up}, {@code down}, {@code rekey}, reloads
 * and shutdown ask of it, and the SAs it reports. The IKE module's adapter implements it.
 */
public interface TunnelService {
  void initiate(Connection connection, Optional<String> child) throws TunnelException;

  void terminate(Connection connection, Optional<String> child) throws TunnelException;

  void rekey(Connection connection, Optional<String> child) throws TunnelException;

  /** A reload removed or changed this connection: tear down whatever it has. */
  void remove(String connection);

  List<Views.IkeSa> sas();

  /** The data plane's totals over {@code sas} (from {@link #sas()}) and its drops; empty without a data plane. */
  default Optional<Views.DataplaneStats> dataplaneStats(List<Views.IkeSa> sas) {
    return Optional.empty();
  }

  /** The daemon started with this config: open what it needs, start {@code start: start} children. */
  default void start(Config config) {}

  /** A reload applied {@code config} (after {@link #remove} of what went away or changed). */
  default void reconfigure(Config config) {}

  /** Graceful shutdown: DELETE to every peer, then tear everything down in order. */
  void shutdown();

  /** A failure an admin can act on; the message says what happened and what to check. */
  class TunnelException extends Exception {
    public TunnelException(String message) {
      super(message);
    }
  }
}
