package io.ipsecd.testbed;

import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches both gateways of a tunnel while it rekeys, and takes turns with the lifetime: the
 * {@code automatic} side rekeys the child by its own short lifetime; {@link #TRIGGER_AFTER} after
 * each such rekey, the watch asks the {@code triggered} side to rekey it (whose own lifetime is
 * long). Every SA either side lists is recorded with the time it was first seen, so the test can
 * count the rekeys each side went through and line lost pings up with them.
 */
final class RekeyWatch implements AutoCloseable {
    static final Duration TRIGGER_AFTER = Duration.ofSeconds(9);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A new child within this long after a trigger is the triggered rekey, not a lifetime one. */
    private static final Duration TRIGGER_ANSWERED_WITHIN = Duration.ofSeconds(5);

    /** A gateway as the watch needs it. */
    interface Side {
        String label();

        List<IkeSa> sas();

        void rekeyChild(String connection, String child);

        static Side of(Gateway g) {
            return switch (g) {
                case Ipsecd d -> new Side() {
                    public String label() { return d.describe(); }
                    public List<IkeSa> sas() { return d.listSasNow(); }
                    public void rekeyChild(String conn, String child) { d.control("rekey", Map.of("name", conn + "/" + child)); }
                };
                case StrongSwan s -> new Side() {
                    public String label() { return s.describe(); }
                    public List<IkeSa> sas() { return s.listSas(); }
                    public void rekeyChild(String conn, String child) {
                        s.swanctl(Duration.ofSeconds(10), "--rekey", "--child", child).check();
                    }
                };
            };
        }
    }

    /** A new SA, first seen at {@code atMillis} (epoch), with what caused it. */
    record Event(long atMillis, String kind, String sa, String cause) {}

    private final Side automatic;
    private final Side triggered;
    private final String connection;
    private final String child;
    private final Thread thread;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    /** Per side: every child SPI (inbound) and IKE SPI pair it ever listed. */
    private final Set<String> childSpisA = new LinkedHashSet<>();
    private final Set<String> childSpisB = new LinkedHashSet<>();
    private final Set<String> ikeSpisA = new LinkedHashSet<>();
    private final Set<String> ikeSpisB = new LinkedHashSet<>();
    private final Set<String> knownSas = new HashSet<>();
    private final List<Long> triggers = new ArrayList<>();
    private volatile boolean stop;

    private RekeyWatch(Side automatic, Side triggered, String connection, String child) {
        this.automatic = automatic;
        this.triggered = triggered;
        this.connection = connection;
        this.child = child;
        this.thread = Thread.ofPlatform().name("rekey-watch").daemon().unstarted(this::run);
    }

    static RekeyWatch start(Side automatic, Side triggered, String connection, String child) {
        RekeyWatch w = new RekeyWatch(automatic, triggered, connection, child);
        w.poll(true); // what is up now is the baseline, not a rekey
        w.thread.start();
        return w;
    }

    private void run() {
        long nextTrigger = Long.MAX_VALUE;
        while (!stop) {
            try {
                for (Event e : poll(false)) {
                    if (e.cause.startsWith("lifetime")) nextTrigger = e.atMillis + TRIGGER_AFTER.toMillis();
                }
                if (System.currentTimeMillis() >= nextTrigger) {
                    nextTrigger = Long.MAX_VALUE;
                    synchronized (this) { triggers.add(System.currentTimeMillis()); }
                    triggered.rekeyChild(connection, child);
                }
            } catch (RuntimeException e) {
                problems.add(System.currentTimeMillis() + ": " + e.getMessage());
            }
            if (!Exec.sleep(POLL.toMillis())) break;
        }
    }

    /** Lists both sides once; returns the SAs neither side had shown before. */
    private synchronized List<Event> poll(boolean baseline) {
        List<Event> fresh = new ArrayList<>();
        long now = System.currentTimeMillis();
        record(automatic.sas(), childSpisA, ikeSpisA, baseline, now, fresh);
        record(triggered.sas(), childSpisB, ikeSpisB, baseline, now, fresh);
        events.addAll(fresh);
        return fresh;
    }

    private void record(List<IkeSa> sas, Set<String> childSpis, Set<String> ikeSpis, boolean baseline, long now,
                        List<Event> fresh) {
        for (IkeSa ike : sas) {
            String ikeId = normalise(ike.spiInitiator(), 16) + "/" + normalise(ike.spiResponder(), 16);
            ikeSpis.add(ikeId);
            if (knownSas.add("ike " + ikeId) && !baseline) {
                fresh.add(new Event(now, "IKE", ikeId, "IKE rekey"));
            }
            for (ChildSa c : ike.children()) {
                String in = normalise(c.spiIn(), 8);
                String out = normalise(c.spiOut(), 8);
                childSpis.add(in);
                // Both sides list the same SA with in and out swapped.
                String id = in.compareTo(out) < 0 ? in + "/" + out : out + "/" + in;
                if (knownSas.add("child " + id) && !baseline) {
                    boolean answered = !triggers.isEmpty() && now - triggers.getLast() < TRIGGER_ANSWERED_WITHIN.toMillis();
                    fresh.add(new Event(now, "Child", id, answered ? "triggered on " + triggered.label()
                            : "lifetime of " + automatic.label()));
                }
            }
        }
    }

    /** SPIs as lower-case hex digits, zero-padded, whichever way a daemon prints them. */
    private static String normalise(String spi, int digits) {
        String s = spi.toLowerCase().replaceFirst("^0x", "");
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    List<Event> events() { return List.copyOf(events); }

    List<String> problems() { return List.copyOf(problems); }

    /** Child rekeys as each side saw them: distinct inbound SPIs it listed, less the first. */
    synchronized int childRekeysAutomaticSide() { return childSpisA.size() - 1; }

    synchronized int childRekeysTriggeredSide() { return childSpisB.size() - 1; }

    synchronized int ikeRekeysAutomaticSide() { return ikeSpisA.size() - 1; }

    synchronized int ikeRekeysTriggeredSide() { return ikeSpisB.size() - 1; }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
