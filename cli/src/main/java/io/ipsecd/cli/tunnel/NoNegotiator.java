package io.ipsecd.cli.tunnel;

import io.ipsecd.conf.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The tunnel service of a build without an IKE negotiator: every connection stays down, and
 * asking for one says so plainly instead of pretending.
 */
public final class NoNegotiator implements TunnelService {
  static final String UNAVAILABLE = "IKE negotiation is not available in this build of ipsecd";

  @Override
  public void initiate(Connection connection, Optional<String> child) throws TunnelException {
    throw new TunnelException("cannot bring up " + target(connection, child) + " with " + connection.remote().address()
        + ": " + UNAVAILABLE);
  }

  @Override
  public void terminate(Connection connection, Optional<String> child) throws TunnelException {
    throw new TunnelException(target(connection, child) + " is not up: nothing to bring down");
  }

  @Override
  public void rekey(Connection connection, Optional<String> child) throws TunnelException {
    throw new TunnelException("cannot rekey " + target(connection, child) + ": it has no SA (" + UNAVAILABLE + ")");
  }

  @Override
  public void remove(String connection) {}

  @Override
  public List<Views.IkeSa> sas() {
    return List.of();
  }

  @Override
  public void shutdown() {}

  private static String target(Connection connection, Optional<String> child) {
    return connection.name() + child.map(c -> "/" + c).orElse("");
  }
}
