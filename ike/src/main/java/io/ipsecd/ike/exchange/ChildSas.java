package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.StartAction;
import io.ipsecd.esp.EspKeys;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaParameters;
import io.ipsecd.ike.crypto.ChildSaKeys;
import io.ipsecd.ike.crypto.DirectionKeys;
import io.ipsecd.ike.crypto.KeyDerivation;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.exchange.Suites.EspSuite;
import io.ipsecd.ike.message.TrafficSelector;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.port.SaId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Child SA into the data plane and out of it, through the {@code IpsecPort}. */
final class ChildSas {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private ChildSas() {
    }

    /** How long the inbound half of a replaced SA outlives it, for the peer's packets still in flight. */
    static final java.time.Duration INBOUND_GRACE = java.time.Duration.ofSeconds(2);

    /**
     * Derives KEYMAT (RFC 7296 §2.17) and installs inbound, then outbound, then the policy, so no
     * packet ever leaves before the peer can be answered.
     *
     * @param weInitiated whether we initiated the exchange creating this child (decides the key halves)
     * @param pfs the CREATE_CHILD_SA key exchange's secret, or null; wiped here
     * @param replaces the SA this one rekeys, or null
     * @param activate whether the policy moves to the new outbound SA now; a rekey responder waits
     *     until the initiator deletes the old SA, which proves the initiator has the new inbound one
     */
    static ChildSa install(IkeSa sa, Child cfg, EspSuite esp, int spiIn, int spiOut, byte[] childNi, byte[] childNr,
                           boolean weInitiated, SecretBytes pfs, List<TrafficSelector> localTs,
                           List<TrafficSelector> remoteTs, ChildSa replaces, boolean activate) throws IpsecPortException {
        return install(sa, cfg, esp, spiIn, spiOut, childNi, childNr, weInitiated, pfs, List.of(), localTs, remoteTs,
                replaces, activate);
    }

    /**
     * As above, with the secrets of the additional key exchanges (RFC 9370 IKE_FOLLOWUP_KE) in the
     * order they ran, mixed into KEYMAT after the nonces; wiped here like {@code pfs}.
     */
    static ChildSa install(IkeSa sa, Child cfg, EspSuite esp, int spiIn, int spiOut, byte[] childNi, byte[] childNr,
                           boolean weInitiated, SecretBytes pfs, List<SecretBytes> additional,
                           List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, ChildSa replaces,
                           boolean activate) throws IpsecPortException {
        Negotiator n = sa.n;
        ChildSaKeys material = KeyDerivation.childSaKeys(sa.prf, sa.keys.skD(), pfs, childNi, childNr, additional,
                esp.cipher());
        if (pfs != null) {
            pfs.destroy();
        }
        additional.forEach(SecretBytes::destroy);
        EspTransform transform = esp.espTransform();
        int reqid = n.reqid(sa.conn.name(), cfg.name());
        boolean encap = sa.udpEncapsulated();
        Lifetimes.TrafficLimits limits = Lifetimes.traffic(n.random, cfg.lifetime());
        try {
            DirectionKeys in = weInitiated ? material.responderToInitiator() : material.initiatorToResponder();
            DirectionKeys out = weInitiated ? material.initiatorToResponder() : material.responderToInitiator();
            n.port.addSa(new ChildSaInstall(reqid, SaParameters.of(spiIn, SaDirection.INBOUND, transform,
                    espKeys(transform, in)).withEsn(esp.esn()).withLifetimes(limits.soft(), limits.hard()), sa.local, sa.remote, encap));
            try {
                n.port.addSa(new ChildSaInstall(reqid, SaParameters.of(spiOut, SaDirection.OUTBOUND, transform,
                        espKeys(transform, out)).withEsn(esp.esn()).withLifetimes(limits.soft(), limits.hard()), sa.local, sa.remote, encap));
                // A trap child's policy stays TRAP with its SA: the data plane then sends the packets it held
                // while we negotiated (a fresh PROTECT policy starts with an empty queue and loses them).
                IpsecPolicy.Action action = cfg.start() == StartAction.TRAP ? IpsecPolicy.Action.TRAP
                        : IpsecPolicy.Action.PROTECT;
                if (activate) {
                    n.port.addPolicy(new IpsecPolicy(reqid, sa.conn.name() + "/" + cfg.name(), Selectors.toEsp(localTs),
                            Selectors.toEsp(remoteTs), action, OptionalInt.of(spiOut)));
                }
            } catch (IpsecPortException | RuntimeException e) {
                n.port.deleteSa(new SaId(spiIn, SaDirection.INBOUND));
                n.port.deleteSa(new SaId(spiOut, SaDirection.OUTBOUND));
                throw e;
            }
        } finally {
            material.destroy();
        }
        java.time.Duration rekeyIn = n.rekeyDelay(cfg.lifetime());
        ChildSa child = new ChildSa(cfg.name(), n.nextUniqueId(), reqid, spiIn, spiOut, esp, encap, localTs, remoteTs,
                n.loop.now(), n.loop.now().plus(rekeyIn), replaces == null ? 0 : replaces.rekeys + 1, childNi, childNr);
        child.outboundActive = activate;
        if (activate) {
            sa.children.stream().filter(c -> c.reqid() == reqid).forEach(c -> c.outboundActive = false);
        }
        sa.children.add(child);
        n.scheduleChildRekey(cfg, child, rekeyIn);
        Lifetimes.scheduleChildExpiry(n, cfg, child);
        log.info("{}/{}: CHILD_SA installed with {}: {}, SPIs {}/{}, {} <-> {}{}{}", sa.name(), cfg.name(), sa.peer(),
                esp.describe(), String.format("%08x", spiIn), String.format("%08x", spiOut), Selectors.format(localTs),
                Selectors.format(remoteTs), encap ? ", ESP in UDP" : "", replaces == null ? ""
                        : ", replacing " + String.format("%08x", replaces.spiIn()) + (activate ? "" : " (sends once the peer deletes it)"));
        if (replaces == null) {
            n.listener.event("child-installed", sa.name(), cfg.name() + " installed: " + esp.describe());
        }
        return child;
    }

    private static EspKeys espKeys(EspTransform transform, DirectionKeys keys) {
        byte[] enc = keys.encryption().copy();
        byte[] integ = keys.integrity().copy();
        byte[] all = Arrays.copyOf(enc, enc.length + integ.length);
        System.arraycopy(integ, 0, all, enc.length, integ.length);
        try {
            return EspKeys.fromKeyMaterial(transform, all, 0);
        } finally {
            Arrays.fill(enc, (byte) 0);
            Arrays.fill(integ, (byte) 0);
            Arrays.fill(all, (byte) 0);
        }
    }

    /**
     * Takes a child out of the data plane (policy first, so nothing is sent on a dying SA). A child
     * still configured falls back to its trap or drop policy rather than losing its policy. The
     * inbound half of a replaced SA stays {@link #INBOUND_GRACE} longer for packets in flight.
     */
    static void remove(IkeSa sa, ChildSa child, String why) {
        Negotiator n = sa.n;
        List<ChildSa> children = sa.children;
        children.remove(child);
        // A rekeyed child shares its reqid (and policy) with its successor: keep the policy then.
        Optional<ChildSa> successor = successor(sa, child.reqid());
        if (successor.isEmpty()) {
            Optional<io.ipsecd.conf.Child> cfg = PortEvents.configured(n, sa.name(), child.name());
            if (cfg.isPresent()) {
                PortEvents.failClosed(n, n.connections.get(sa.name()), cfg.get()); // drop or trap, never clear
            } else {
                n.port.deletePolicy(child.reqid());
            }
        } else if (child.outboundActive) {
            activate(sa, successor.get());
        }
        n.port.deleteSa(new SaId(child.spiOut(), SaDirection.OUTBOUND));
        boolean replaced = successor.isPresent() && (child.state == ChildSa.State.REKEYED || child.redundant);
        if (replaced) {
            n.loop.schedule(INBOUND_GRACE, () -> dropInbound(n, child));
        } else {
            dropInbound(n, child);
        }
        child.state = ChildSa.State.DELETING;
        log.info("{}/{}: CHILD_SA {} deleted ({})", sa.name(), child.name(), String.format("%08x", child.spiIn()), why);
        if (!replaced) {
            n.listener.event("child-deleted", sa.name(), child.name() + " deleted: " + why);
        }
    }

    private static void dropInbound(Negotiator n, ChildSa child) {
        n.port.deleteSa(new SaId(child.spiIn(), SaDirection.INBOUND));
        n.releaseSpi(child.spiIn());
    }

    /** The SA that carries the child's traffic once {@code reqid}'s current one goes: the newest live one. */
    static Optional<ChildSa> successor(IkeSa sa, int reqid) {
        return sa.children.stream().filter(c -> c.reqid() == reqid)
                .max(java.util.Comparator.comparing(ChildSa::current).thenComparingLong(ChildSa::uniqueId));
    }

    /** Points the child's policy at {@code child}'s outbound SA (make-before-break: its inbound is in already). */
    static void activate(IkeSa sa, ChildSa child) {
        if (child.outboundActive) {
            return;
        }
        try {
            sa.n.port.switchOutbound(child.reqid(), child.spiOut());
            sa.children.stream().filter(c -> c.reqid() == child.reqid()).forEach(c -> c.outboundActive = false);
            child.outboundActive = true;
        } catch (IpsecPortException e) {
            log.warn("{}/{}: cannot move the policy to SA {}: {}", sa.name(), child.name(),
                    String.format("%08x", child.spiOut()), e.getMessage());
        }
    }
}
