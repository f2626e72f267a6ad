package io.ipsecd.testbed;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 side of the testbed: skips (visibly) without root, fails early when a tool is missing,
 * sweeps leftovers of killed runs once, attaches daemon log tails to a failing test and closes
 * any lab a test left open.
 */
public final class TestbedExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestbedExtension.class);

    /** Commands the labs run, with the Debian package that provides each. */
    private static final List<String[]> TOOLS = List.of(new String[] {"ip", "iproute2"},
            new String[] {"unshare", "util-linux"}, new String[] {"nsenter", "util-linux"},
            new String[] {"swanctl", "strongswan-swanctl"}, new String[] {"iperf3", "iperf3"},
            new String[] {"tcpdump", "tcpdump"}, new String[] {"nft", "nftables"}, new String[] {"ping", "iputils-ping"},
            new String[] {"debootstrap", "debootstrap"}, new String[] {"python3", "python3"});

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(isRoot(), "network-namespace lab tests need root (run as root, or -Dtestbed.skip=true)");
        List<String> missing = new ArrayList<>();
        for (String[] t : TOOLS) if (!onPath(t[0])) missing.add(t[0] + " (Debian package " + t[1] + ")");
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/lib/ipsec/charon"))) {
            missing.add("/usr/lib/ipsec/charon (Debian package strongswan-charon)");
        }
        if (!missing.isEmpty()) throw new IllegalStateException("testbed tools missing: " + missing);
        Sweep.once();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("labs", Lab.createdCount());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        StringBuilder logs = new StringBuilder();
        for (Lab lab : labsOf(context)) {
            String message = String.valueOf(failure.getMessage());
            if (!message.contains(lab.name())) logs.append("\nlab ").append(lab.name()).append(lab.logTails(3000));
        }
        if (logs.isEmpty()) throw failure;
        AssertionError withLogs = new AssertionError(failure.getMessage() + logs, failure);
        throw withLogs;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Lab lab : labsOf(context)) if (lab.isOpen()) lab.close();
    }

    private static List<Lab> labsOf(ExtensionContext context) {
        Integer before = context.getStore(NS).get("labs", Integer.class);
        return before == null ? List.of() : Lab.createdAfter(before);
    }

    /** Effective uid 0, read from /proc: user.name can lie (sudo -E, containers). */
    static boolean isRoot() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, cmd))) return true;
        }
        return false;
    }
}
