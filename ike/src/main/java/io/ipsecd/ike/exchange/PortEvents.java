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
 * What the data plane tells IKE, and the trap policies that make it tell: {@code start: trap}
 * children wait as TRAP policies until a packet raises an acquire; byte/packet limits rekey or
 * delete a child.
 */
final class PortEvents {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private PortEvents() {
    }

    /**
     * Installs the TRAP policy of a {@code start: trap} child that has no SA: the first packet
     * that matches it raises an acquire, and we initiate. A child that is up keeps its policy.
     */
    static void trap(Negotiator n, Connection conn, Child child) {
        int reqid = n.reqid(conn.name(), child.name());
        if (conn.remote().ip().isEmpty() || n.bySpi.values().stream().anyMatch(s -> s.children.stream()
                .anyMatch(c -> c.reqid() == reqid))) {
            return;
        }
        try {
            n.port.addPolicy(new IpsecPolicy(reqid, conn.name() + "/" + child.name(), Selectors.toEsp(Selectors.of(
                    child.localTs())), Selectors.toEsp(Selectors.of(child.remoteTs())), IpsecPolicy.Action.TRAP,
                    OptionalInt.empty()));
        } catch (IpsecPortException e) {
            n.listener.failed(conn.name(), Optional.of(child.name()), "cannot install the trap policy: " + e.getMessage());
        }
    }

    /** Whether the child's policy should fall back to a trap when its last SA goes. */
    static boolean trapsOnRemoval(Negotiator n, String connection, String child) {
        Connection c = n.connections.get(connection);
        return c != null && c.children().containsKey(child) && c.children().get(child).start() == StartAction.TRAP;
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
