package io.ipsecd.conf;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Reads one entry of a connection's {@code children:}. */
final class ChildReader {
    private final Problems problems;
    private final ValueReader values;
    private final boolean allowWeak;
    private final boolean remoteAny;

    ChildReader(Problems problems, ValueReader values, boolean allowWeak, boolean remoteAny) {
        this.problems = problems;
        this.values = values;
        this.allowWeak = allowWeak;
        this.remoteAny = remoteAny;
    }

    Optional<Child> read(String name, NodeTuple entry, String path) {
        int before = problems.count();
        MapView m = new MapView(entry.getValueNode(), entry.getKeyNode(), path, problems,
                List.of("local_ts", "remote_ts", "esp_proposals", "start", "lifetime", "mss_clamp"));
        if (m.broken()) return Optional.empty();
        List<TrafficSelectorSpec> local = values.selectors(m, "local_ts");
        List<TrafficSelectorSpec> remote = values.selectors(m, "remote_ts");
        if (problems.count() == before) {
            families(m, local, remote, "local_ts", "remote_ts");
            families(m, remote, local, "remote_ts", "local_ts");
        }
        List<Proposal> esp = values.proposals(m, "esp_proposals", ProposalParser.Kind.ESP, allowWeak, Child.DEFAULT_ESP_PROPOSALS);
        StartAction start = m.choice("start", List.of("none", "trap", "start"))
                .map(s -> StartAction.valueOf(s.toUpperCase(java.util.Locale.ROOT))).orElse(StartAction.NONE);
        if (remoteAny && start != StartAction.NONE) {
            problems.at(m.value("start").get(), m.child("start"), "start '" + start.keyword()
                    + "' needs a remote address to initiate to, but remote.address is \"%any\": expected none");
        }
        Lifetime lifetime = new LifetimeReader(problems, values).read(m, "lifetime", Child.DEFAULT_LIFETIME, true);
        OptionalInt mss = values.integer(m, "mss_clamp", Child.MIN_MSS, Child.MAX_MSS, "a TCP MSS in bytes");
        if (problems.count() != before) return Optional.empty();
        return Optional.of(new Child(name, local, remote, esp, start, lifetime, mss));
    }

    /** Every address family on side {@code a} must also be on side {@code b}. */
    private void families(MapView m, List<TrafficSelectorSpec> a, List<TrafficSelectorSpec> b, String aKey, String bKey) {
        for (boolean v6 : new boolean[] {false, true}) {
            boolean inA = a.stream().anyMatch(t -> t.isV6() == v6);
            boolean inB = b.stream().anyMatch(t -> t.isV6() == v6);
            if (inA && !inB) {
                String family = v6 ? "IPv6" : "IPv4";
                problems.at(m.value(bKey).get(), m.child(bKey), aKey + " has " + family + " selectors but " + bKey
                        + " has none: expected the same address families on both sides");
            }
        }
    }
}
