package io.ipsecd.dataplane;

import io.ipsecd.dataplane.spd.IntMap;
import io.ipsecd.dataplane.spd.Policy;
import io.ipsecd.dataplane.spd.PolicyTable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SAD and the SPD as one immutable snapshot behind a volatile reference: workers read it
 * without locks, once per batch or packet; the control thread (serialised by this object's
 * monitor) builds a new snapshot per change and publishes it in one write, so a worker never sees
 * a policy pointing at a half-installed SA, and switching the outbound SA is atomic.
 *
 * <p>An SA leaves in two steps: a snapshot without it is published, then, after every worker's
 * grace period ({@link Quiescence}), its keys are zeroed. No worker can still be using it then.
 *
 * <p>The snapshot also says where decrypted packets go: the writer of each running interface, by
 * the interface id its policies name.
 */
final class SecurityDatabase {
  private static final Logger log = LoggerFactory.getLogger(SecurityDatabase.class);
  private static final long GRACE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  record Tables(IntMap<SaEntries.Inbound> inbound, IntMap<SaEntries.Outbound> outbound,
                PolicyTable<PolicyBinding> policies, IntMap<TunWriter> writers) {}

  private volatile Tables tables = new Tables(IntMap.empty(), IntMap.empty(), PolicyTable.empty(), IntMap.empty());
  private final List<Quiescence> workers = new CopyOnWriteArrayList<>();
  /** Counts snapshots in which a policy may have gained an SA; each outbound worker then looks for held packets. */
  private volatile long trapGeneration;

  Tables current() {
    return tables;
  }

  void register(Quiescence worker) {
    workers.add(worker);
  }

  void unregister(Quiescence worker) {
    workers.remove(worker);
  }

  /** Changes whenever a policy may have gained an SA; outbound workers compare it with the value they saw last. */
  long trapGeneration() {
    return trapGeneration;
  }

  /** Publishes where decrypted packets of each interface go (only running interfaces have a writer). */
  synchronized void writers(IntMap<TunWriter> writers) {
    Tables t = tables;
    tables = new Tables(t.inbound(), t.outbound(), t.policies(), writers);
  }

  synchronized void addInbound(SaEntries.Inbound entry) throws DataplaneException {
    Tables t = tables;
    if (t.inbound().get(entry.spi()) != null) {
      throw new DataplaneException("inbound SPI " + hex(entry.spi()) + " is already installed");
    }
    tables = new Tables(t.inbound().with(entry.spi(), entry), t.outbound(), t.policies(), t.writers());
  }

  synchronized void addOutbound(SaEntries.Outbound entry) throws DataplaneException {
    Tables t = tables;
    if (t.outbound().get(entry.spi()) != null) {
      throw new DataplaneException("outbound SPI " + hex(entry.spi()) + " is already installed");
    }
    IntMap<SaEntries.Outbound> outbound = t.outbound().with(entry.spi(), entry);
    publish(new Tables(t.inbound(), outbound, rebindAll(t.policies(), outbound), t.writers()));
  }

  /** Removes the inbound SA, waits out the workers, zeroes its keys. False if it was not there. */
  boolean removeInbound(int spi) {
    SaEntries.Inbound gone;
    synchronized (this) {
      Tables t = tables;
      gone = t.inbound().get(spi);
      if (gone == null) {
        return false;
      }
      tables = new Tables(t.inbound().without(spi), t.outbound(), t.policies(), t.writers());
      awaitWorkers();
    }
    gone.sa().destroy();
    gone.install().esp().keys().destroy();
    return true;
  }

  /** Removes the outbound SA: policies using it drop their traffic from now on (fail closed). */
  boolean removeOutbound(int spi) {
    SaEntries.Outbound gone;
    synchronized (this) {
      Tables t = tables;
      gone = t.outbound().get(spi);
      if (gone == null) {
        return false;
      }
      IntMap<SaEntries.Outbound> outbound = t.outbound().without(spi);
      tables = new Tables(t.inbound(), outbound, rebindAll(t.policies(), outbound), t.writers());
      awaitWorkers();
    }
    gone.sa().destroy();
    gone.install().esp().keys().destroy();
    return true;
  }

  /**
   * Adds or replaces a policy; a TRAP policy keeps its held packets across replacement. A policy
   * that moves to another interface moves to another outbound worker: this returns only once the
   * old one is out of its batch, so its SA and held packets never have two writers.
   */
  synchronized void addPolicy(Policy policy) {
    Tables t = tables;
    PolicyTable.Entry<PolicyBinding> old = t.policies().byId(policy.id());
    TrapQueue trap = null;
    if (policy.action() == Policy.Action.TRAP) {
      trap = old != null && old.binding().trap() != null ? old.binding().trap() : new TrapQueue();
    }
    PolicyBinding binding = new PolicyBinding(resolve(policy, t.outbound()), trap);
    publish(new Tables(t.inbound(), t.outbound(), t.policies().with(policy, binding), t.writers()));
    if (old != null && old.policy().interfaceId() != policy.interfaceId()) {
      awaitWorkers();
    }
  }

  /** Points policy {@code id} at the installed outbound SA {@code spi} in one snapshot swap. */
  synchronized Policy switchOutbound(int id, int spi) throws DataplaneException {
    Tables t = tables;
    PolicyTable.Entry<PolicyBinding> entry = t.policies().byId(id);
    if (entry == null) {
      throw new DataplaneException("no policy " + id);
    }
    SaEntries.Outbound sa = t.outbound().get(spi);
    if (sa == null) {
      throw new DataplaneException("outbound SPI " + hex(spi) + " is not installed");
    }
    Policy switched = entry.policy().withOutboundSpi(spi);
    PolicyBinding binding = new PolicyBinding(sa, entry.binding().trap());
    publish(new Tables(t.inbound(), t.outbound(), t.policies().with(switched, binding), t.writers()));
    return switched;
  }

  /** Removes a policy; returns it, or null. Held packets of a TRAP policy are dropped with it. */
  synchronized Policy removePolicy(int id) {
    Tables t = tables;
    PolicyTable.Entry<PolicyBinding> entry = t.policies().byId(id);
    if (entry == null) {
      return null;
    }
    tables = new Tables(t.inbound(), t.outbound(), t.policies().without(id), t.writers());
    return entry.policy();
  }

  /** Empties both tables and zeroes every SA's keys (shutdown). */
  void clear() {
    Tables old;
    synchronized (this) {
      old = tables;
      tables = new Tables(IntMap.empty(), IntMap.empty(), PolicyTable.empty(), old.writers());
      awaitWorkers();
    }
    old.inbound().forEach((spi, e) -> {
      e.sa().destroy();
      e.install().esp().keys().destroy();
    });
    old.outbound().forEach((spi, e) -> {
      e.sa().destroy();
      e.install().esp().keys().destroy();
    });
  }

  private void publish(Tables next) {
    tables = next;
    trapGeneration = trapGeneration + 1; // written under this object's monitor only
  }

  private void awaitWorkers() {
    for (Quiescence worker : workers) {
      if (!worker.awaitGracePeriod(GRACE_TIMEOUT_NANOS)) {
        // A worker stuck for seconds inside one unit of work is a bug; destroying anyway can only
        // make its next use of the SA fail (and drop), never send in clear.
        log.warn("a data plane worker did not leave its current packet within 5 s; zeroing keys anyway");
      }
    }
  }

  private static PolicyTable<PolicyBinding> rebindAll(PolicyTable<PolicyBinding> policies,
                                                      IntMap<SaEntries.Outbound> outbound) {
    PolicyTable<PolicyBinding> result = policies;
    for (PolicyTable.Entry<PolicyBinding> e : policies.entries()) {
      SaEntries.Outbound sa = resolve(e.policy(), outbound);
      if (sa != e.binding().outbound()) {
        result = result.rebind(e.policy().id(), new PolicyBinding(sa, e.binding().trap()));
      }
    }
    return result;
  }

  private static SaEntries.Outbound resolve(Policy policy, IntMap<SaEntries.Outbound> outbound) {
    return policy.outboundSpi().isPresent() ? outbound.get(policy.outboundSpi().getAsInt()) : null;
  }

  static String hex(int spi) {
    return String.format("%08x", spi);
  }
}
