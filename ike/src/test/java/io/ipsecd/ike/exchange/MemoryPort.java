package io.ipsecd.ike.exchange;

import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.IpsecPort;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.port.PortListener;
import io.ipsecd.ike.port.SaId;
import io.ipsecd.esp.SaStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The data plane for tests: remembers SAs and policies, in the order they were installed. */
final class MemoryPort implements IpsecPort {
    final Map<SaId, ChildSaInstall> sas = new ConcurrentHashMap<>();
    final Map<Integer, IpsecPolicy> policies = new ConcurrentHashMap<>();
    final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    /** What {@link #usage} answers: a test sets an SA's counters here (traffic that "arrived"). */
    final Map<SaId, SaStats> usage = new ConcurrentHashMap<>();

    @Override
    public void addSa(ChildSaInstall sa) throws IpsecPortException {
        if (sas.putIfAbsent(sa.id(), sa) != null) {
            throw new IpsecPortException("SA " + sa.id() + " exists");
        }
        log.add("addSa " + sa.id());
    }

    @Override
    public void deleteSa(SaId id) {
        ChildSaInstall gone = sas.remove(id);
        if (gone != null) {
            gone.esp().keys().destroy();
        }
        log.add("deleteSa " + id);
    }

    @Override
    public void addPolicy(IpsecPolicy policy) {
        policies.put(policy.reqid(), policy);
        log.add("addPolicy " + policy.reqid());
    }

    @Override
    public void switchOutbound(int reqid, int outboundSpi) throws IpsecPortException {
        IpsecPolicy p = policies.get(reqid);
        if (p == null || !sas.containsKey(new SaId(outboundSpi, io.ipsecd.esp.SaDirection.OUTBOUND))) {
            throw new IpsecPortException("no policy " + reqid + " or no outbound SA " + Integer.toHexString(outboundSpi));
        }
        policies.put(reqid, new IpsecPolicy(p.reqid(), p.name(), p.local(), p.remote(), p.action(),
                java.util.OptionalInt.of(outboundSpi)));
        log.add("switchOutbound " + reqid);
    }

    @Override
    public void deletePolicy(int reqid) {
        policies.remove(reqid);
        log.add("deletePolicy " + reqid);
    }

    @Override
    public Optional<SaStats> usage(SaId id) {
        return Optional.ofNullable(usage.get(id));
    }

    @Override
    public void listen(PortListener listener) {
    }
}
