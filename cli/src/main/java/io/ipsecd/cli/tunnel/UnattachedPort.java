package io.ipsecd.cli.tunnel;

import io.ipsecd.esp.SaStats;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.IpsecPort;
import io.ipsecd.ike.port.PortListener;
import io.ipsecd.ike.port.SaId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPsec port of a build whose data plane adapter does not exist yet: SAs and policies are
 * kept in memory (keys zeroed on delete) so IKE can negotiate and list them, and every install
 * says plainly that no packet will be protected.
 */
public final class UnattachedPort implements IpsecPort {
  private static final Logger log = LoggerFactory.getLogger("ike");

  private final Map<SaId, ChildSaInstall> sas = new ConcurrentHashMap<>();
  private final Map<Integer, IpsecPolicy> policies = new ConcurrentHashMap<>();

  @Override
  public void addSa(ChildSaInstall sa) {
    ChildSaInstall previous = sas.put(sa.id(), sa);
    if (previous != null) {
      previous.esp().keys().destroy();
    }
    log.info("data plane not attached: SA installed in IKE only ({}, reqid {})", sa.id(), sa.reqid());
  }

  @Override
  public void deleteSa(SaId id) {
    ChildSaInstall gone = sas.remove(id);
    if (gone != null) {
      gone.esp().keys().destroy();
    }
  }

  @Override
  public void addPolicy(IpsecPolicy policy) {
    policies.put(policy.reqid(), policy);
  }

  @Override
  public void switchOutbound(int reqid, int outboundSpi) {
    policies.computeIfPresent(reqid, (k, p) -> new IpsecPolicy(p.reqid(), p.name(), p.local(), p.remote(), p.action(),
        java.util.OptionalInt.of(outboundSpi)));
  }

  @Override
  public void deletePolicy(int reqid) {
    policies.remove(reqid);
  }

  @Override
  public Optional<SaStats> usage(SaId id) {
    return Optional.empty();
  }

  @Override
  public void listen(PortListener listener) {
    // Nothing carries packets, so nothing is ever acquired or expires by volume.
  }
}
