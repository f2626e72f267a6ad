package io.ipsecd.cli.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.tunnel.TunnelService;
import io.ipsecd.cli.tunnel.Views;
import io.ipsecd.conf.Connection;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The daemon's tunnel service hands every question to IKE's: a default method must not answer instead. */
class RoutedTunnelServiceTest {

  @Test
  void overridesEveryMethodOfTheInterface() throws NoSuchMethodException {
    for (Method m : TunnelService.class.getMethods()) {
      assertThat(RoutedTunnelService.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
          .as(m.getName() + " is passed on to IKE's service").isEqualTo(RoutedTunnelService.class);
    }
  }

  @Test
  void statsComeFromTheDataplaneBehindIke() {
    Views.DataplaneStats stats = new Views.DataplaneStats(true, "ipsecd0", 1, 2, 3, 4, 0, 0, Map.of("noSa", 7L));
    TunnelService ike = new TunnelService() {
      @Override public void initiate(Connection connection, Optional<String> child) {}
      @Override public void terminate(Connection connection, Optional<String> child) {}
      @Override public void rekey(Connection connection, Optional<String> child) {}
      @Override public void remove(String connection) {}
      @Override public List<Views.IkeSa> sas() { return List.of(); }
      @Override public Optional<Views.DataplaneStats> dataplaneStats(List<Views.IkeSa> sas) { return Optional.of(stats); }
      @Override public void shutdown() {}
    };
    RoutedTunnelService routed = new RoutedTunnelService(ike, new RouteInterfaces(Optional.empty()));
    assertThat(routed.dataplaneStats(List.of())).contains(stats);
  }
}
