package io.ipsecd.conf;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a {@code lifetime}: a duration ({@code 1h}, the hard time limit with the default margin
 * and jitter) or a mapping {@code { time, bytes, packets, rekey_margin, jitter }}.
 */
final class LifetimeReader {
    static final List<String> KEYS = List.of("time", "bytes", "packets", "rekey_margin", "jitter");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})\\s*%?");

    private final Problems problems;
    private final ValueReader values;

    LifetimeReader(Problems problems, ValueReader values) {
        this.problems = problems;
        this.values = values;
    }

    /**
     * @param traffic whether byte and packet limits apply (Child SAs; an IKE SA's lifetime is by time)
     */
    Lifetime read(MapView parent, String key, Duration defaultTime, boolean traffic) {
        Optional<Node> node = parent.value(key);
        if (node.isEmpty() || MapView.isNull(node.get())) return Lifetime.of(defaultTime);
        if (node.get() instanceof ScalarNode) {
            return Lifetime.of(values.duration(parent, key).orElse(defaultTime));
        }
        if (!(node.get() instanceof MappingNode)) {
            problems.at(node.get(), parent.child(key), "expected a duration like 1h, or a mapping with "
                    + String.join(", ", KEYS) + ", found " + MapView.describe(node.get()));
            return Lifetime.of(defaultTime);
        }
        MapView m = parent.map(key, KEYS);
        Duration time = values.duration(m, "time").orElse(defaultTime);
        OptionalLong bytes = OptionalLong.empty(), packets = OptionalLong.empty();
        if (traffic) {
            bytes = size(m, "bytes");
            packets = count(m, "packets");
        } else {
            for (String k : List.of("bytes", "packets")) {
                if (m.has(k)) {
                    problems.at(m.keyNode(k), m.child(k), "an IKE SA's lifetime is by time only: " + k
                            + " count ESP traffic, so set them on a child's lifetime");
                }
            }
        }
        int margin = percent(m, "rekey_margin", Lifetime.MIN_REKEY_MARGIN_PERCENT, Lifetime.MAX_REKEY_MARGIN_PERCENT,
                " (the rekey comes this share of the lifetime before it ends)")
                .orElse(Lifetime.DEFAULT_REKEY_MARGIN_PERCENT);
        int jitter = percent(m, "jitter", 0, Lifetime.MAX_JITTER_PERCENT,
                " (a random share by which the rekey comes earlier still)")
                .orElse(Lifetime.DEFAULT_JITTER_PERCENT);
        return new Lifetime(time, bytes, packets, margin, jitter);
    }

    private OptionalLong size(MapView m, String key) {
        Optional<String> text = m.scalar(key);
        if (text.isEmpty()) return OptionalLong.empty();
        return values.report(ByteSizes.parse(text.get()), m.value(key).get(), m.child(key))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private OptionalLong count(MapView m, String key) {
        Optional<String> text = m.scalar(key);
        if (text.isEmpty()) return OptionalLong.empty();
        String t = text.get().strip().replace("_", "");
        if (t.matches("\\d{1,18}") && Long.parseLong(t) > 0) return OptionalLong.of(Long.parseLong(t));
        problems.at(m.value(key).get(), m.child(key), "expected a positive number of packets, found '" + text.get() + "'");
        return OptionalLong.empty();
    }

    private OptionalInt percent(MapView m, String key, int min, int max, String what) {
        Optional<String> text = m.scalar(key);
        if (text.isEmpty()) return OptionalInt.empty();
        var matcher = PERCENT.matcher(text.get().strip());
        if (matcher.matches()) {
            int p = Integer.parseInt(matcher.group(1));
            if (p >= min && p <= max) return OptionalInt.of(p);
        }
        problems.at(m.value(key).get(), m.child(key), "expected a percentage " + min + "%.." + max + "%" + what
                + ", found '" + text.get() + "'");
        return OptionalInt.empty();
    }
}
