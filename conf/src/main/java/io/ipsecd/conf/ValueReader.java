package io.ipsecd.conf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Shared by connections and children: selectors, proposals, durations, parse outcomes. */
final class ValueReader {
    private final Problems problems;

    ValueReader(Problems problems) {
        this.problems = problems;
    }

    <T> Optional<T> report(Outcome<T> outcome, Node at, String path) {
        return switch (outcome) {
            case Outcome.Ok<T> ok -> Optional.of(ok.value());
            case Outcome.Err<T> err -> {
                problems.at(at, path, err.message());
                yield Optional.empty();
            }
        };
    }

    Optional<Duration> duration(MapView m, String key) {
        Optional<String> text = m.scalar(key);
        if (text.isEmpty()) return Optional.empty();
        Node at = m.value(key).get();
        Optional<Duration> d = report(Durations.parse(text.get()), at, m.child(key));
        if (d.isPresent() && d.get().isZero()) {
            problems.at(at, m.child(key), "expected a positive duration, found '" + text.get() + "'");
            return Optional.empty();
        }
        return d;
    }

    /** A whole number in {@code [min, max]}; {@code what} names it in the message, e.g. "an MSS". */
    java.util.OptionalInt integer(MapView m, String key, int min, int max, String what) {
        Optional<String> text = m.scalar(key);
        if (text.isEmpty()) return java.util.OptionalInt.empty();
        if (text.get().matches("\\d{1,9}")) {
            int n = Integer.parseInt(text.get());
            if (n >= min && n <= max) return java.util.OptionalInt.of(n);
        }
        problems.at(m.value(key).get(), m.child(key), "expected " + what + " " + min + ".." + max + ", found '" + text.get() + "'");
        return java.util.OptionalInt.empty();
    }

    List<Proposal> proposals(MapView m, String key, ProposalParser.Kind kind, boolean allowWeak, List<String> defaults) {
        Optional<List<Node>> items = m.list(key);
        if (items.isEmpty()) {
            return defaults.stream().map(s -> ProposalParser.parse(s, kind).orThrow()).toList();
        }
        if (items.get().isEmpty()) {
            problems.at(m.value(key).get(), m.child(key), "expected at least one proposal, found an empty list");
        }
        List<Proposal> out = new ArrayList<>();
        for (int n = 0; n < items.get().size(); n++) {
            Node item = items.get().get(n);
            String path = m.child(key) + "[" + n + "]";
            if (!(item instanceof ScalarNode s) || MapView.isNull(item)) {
                problems.at(item, path, "expected a proposal string like aes256gcm16-prfsha384-ecp384, found " + MapView.describe(item));
                continue;
            }
            Optional<Proposal> p = report(ProposalParser.parse(s.getValue(), kind), item, path);
            if (p.isEmpty()) continue;
            Optional<KeyExchange> weak = weakGroup(p.get());
            if (weak.isPresent() && !allowWeak) {
                problems.at(item, path, weak.get().keyword() + " (group " + weak.get().transformId()
                        + ") is a weak key exchange group: remove it, or set ike.allow_weak_groups: true");
                continue;
            }
            out.add(p.get());
        }
        return out;
    }

    private static Optional<KeyExchange> weakGroup(Proposal p) {
        List<KeyExchange> all = new ArrayList<>(p.keyExchange());
        p.additionalKeyExchanges().forEach(all::addAll);
        return all.stream().filter(KeyExchange::weak).findFirst();
    }

    List<TrafficSelectorSpec> selectors(MapView m, String key) {
        if (!m.has(key)) {
            m.missing(key, "");
            return List.of();
        }
        Optional<List<Node>> items = m.list(key);
        if (items.isEmpty()) {
            if (MapView.isNull(m.value(key).get())) {
                problems.at(m.value(key).get(), m.child(key), "expected a list of traffic selectors, found nothing (null)");
            }
            return List.of();
        }
        if (items.get().isEmpty()) {
            problems.at(m.value(key).get(), m.child(key), "expected at least one traffic selector, found an empty list");
        }
        List<TrafficSelectorSpec> out = new ArrayList<>();
        for (int n = 0; n < items.get().size(); n++) {
            Node item = items.get().get(n);
            String path = m.child(key) + "[" + n + "]";
            if (!(item instanceof ScalarNode s) || MapView.isNull(item)) {
                problems.at(item, path, "expected a traffic selector like 10.1.0.0/16, found " + MapView.describe(item));
                continue;
            }
            report(SelectorParser.parse(s.getValue()), item, path).ifPresent(out::add);
        }
        return out;
    }
}
