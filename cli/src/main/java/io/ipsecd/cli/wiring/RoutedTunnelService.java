package io.ipsecd.cli.wiring;

import io.ipsecd.cli.tunnel.TunnelService;
import io.ipsecd.cli.tunnel.Views;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's {@link TunnelService}: IKE's, with the route-based interfaces brought in line with
 * each config first, so that every policy IKE installs for it finds its interface. Every other
 * method, default ones included, goes to IKE's service unchanged (RoutedTunnelServiceTest checks
 * that none is left to an interface default).
 */
public final class RoutedTunnelService implements TunnelService {
  private final TunnelService ike;
  private final RouteInterfaces interfaces;

  public RoutedTunnelService(TunnelService ike, RouteInterfaces interfaces) {
    this.ike = ike;
    this.interfaces = interfaces;
  }

  @Override
  public void start(Config config) {
    interfaces.apply(config);
    ike.start(config); // starts the data plane, which creates the interfaces
    interfaces.reportMissing();
  }

  @Override
  public void reconfigure(Config config) {
    interfaces.apply(config);
    ike.reconfigure(config);
  }

  @Override
  public void initiate(Connection connection, Optional<String> child) throws TunnelException {
    ike.initiate(connection, child);
  }

  @Override
  public void terminate(Connection connection, Optional<String> child) throws TunnelException {
    ike.terminate(connection, child);
  }

  @Override
  public void rekey(Connection connection, Optional<String> child) throws TunnelException {
    ike.rekey(connection, child);
  }

  @Override
  public void remove(String connection) {
    ike.remove(connection);
  }

  @Override
  public List<Views.IkeSa> sas() {
    return ike.sas();
  }

  @Override
  public Optional<Views.DataplaneStats> dataplaneStats(List<Views.IkeSa> sas) {
    return ike.dataplaneStats(sas);
  }

  @Override
  public void shutdown() {
    ike.shutdown();
  }
}
