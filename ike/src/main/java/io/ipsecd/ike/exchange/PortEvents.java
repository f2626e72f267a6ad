package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.StartAction;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.port.SaId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the data plane tells IKE, and the policies children hold without an SA: {@code start: trap}
 * children wait as TRAP policies until a packet raises an acquire, the others as drop policies
 * (fail closed); byte/packet limits rekey or delete a child.
 */
final class PortEvents {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private PortEvents() {
    }

    /**
     * Installs the policy a configured child holds while it has no SA, so that its traffic never
     * leaves in clear (through a default route, say) whether the child is not up yet, was deleted
     * by either side, or its peer died: a TRAP policy for {@code start: trap} (the first packet
     * raises an acquire, and we initiate), otherwise a PROTECT policy without an SA, which the data
     * plane drops and counts. It replaces the child's previous policy in place. A child that is up
     * keeps its policy; only removing the connection from the configuration removes it.
     */
    static void failClosed(Negotiator n, Connection conn, Child child) {
        int reqid = n.reqid(conn.name(), child.name());
        if (n.bySpi.values().stream().anyMatch(s -> s.children.stream().anyMatch(c -> c.reqid() == reqid))) {
            return;
        }
        // After a dead peer, dpd.action trap or clear overrides the child's start mode (see Restarts).
        boolean trap = n.restarts.waitsAsTrap(conn.name(), child.name()).orElse(child.start() == StartAction.TRAP)
                && conn.remote().ip().isPresent();
        try {
            n.port.addPolicy(new IpsecPolicy(reqid, conn.name() + "/" + child.name(), Selectors.toEsp(Selectors.of(
                    child.localTs())), Selectors.toEsp(Selectors.of(child.remoteTs())),
                    trap ? IpsecPolicy.Action.TRAP : IpsecPolicy.Action.PROTECT, OptionalInt.empty()));
        } catch (IpsecPortException | IllegalArgumentException e) {
            n.listener.failed(conn.name(), Optional.of(child.name()), "cannot install the " + (trap ? "trap" : "drop")
                    + " policy that keeps its traffic from leaving in clear: " + e.getMessage());
        }
    }

    /** The child's current configuration, if the connection still has it. */
    static Optional<Child> configured(Negotiator n, String connection, String child) {
        Connection c = n.connections.get(connection);
        return c == null ? Optional.empty() : Optional.ofNullable(c.children().get(child));
    }

    /** A packet hit the TRAP policy {@code reqid}: bring its child up (unless it is on its way). */
    static void acquire(Negotiator n, int reqid) {
        for (Map.Entry<String, Integer> e : n.reqids.entrySet()) {
            if (e.getValue() != reqid) {
                continue;
            }
            String[] names = e.getKey().split("/", 2);
            Connection conn = n.connections.get(names[0]);
            boolean pending = n.sas(names[0]).stream().anyMatch(s -> s.children.stream().anyMatch(c -> c.name()
                    .equals(names[1])) || s.state == IkeSa.State.CONNECTING);
            if (conn != null && !pending) {
                log.info("{}/{}: traffic hit the trap policy: initiating", names[0], names[1]);
                n.initiate(conn, List.of(names[1]));
            }
        }
    }

    /** The data plane says an SA reached a byte/packet limit: soft rekeys the child, hard deletes it. */
    static void expired(Negotiator n, SaId id, boolean hard) {
        for (IkeSa sa : List.copyOf(n.bySpi.values())) {
            for (ChildSa c : List.copyOf(sa.children)) {
                boolean match = id.direction() == SaDirection.INBOUND ? c.spiIn() == id.spi() : c.spiOut() == id.spi();
                Child cfg = sa.conn.children().get(c.name());
                if (!match || cfg == null || sa.state != IkeSa.State.ESTABLISHED) {
                    continue;
                }
                log.info("{}/{}: SA {} reached its {} limit", sa.name(), c.name(), id, hard ? "hard" : "soft");
                sa.enqueue(hard ? new ChildDeleteTask(c) : new ChildCreateTask(cfg, c));
            }
        }
    }

    // ---- admin actions -------------------------------------------------------------------------
}
