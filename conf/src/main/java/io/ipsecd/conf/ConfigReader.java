package io.ipsecd.conf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Builds a {@link Config} from the YAML tree: the top level and {@code global:}. */
final class ConfigReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");

    private final Problems problems;
    private final Path baseDir;
    private final Function<String, String> environment;
    private final ValueReader values;

    ConfigReader(Problems problems, Path baseDir, Function<String, String> environment) {
        this.problems = problems;
        this.values = new ValueReader(problems);
        this.baseDir = baseDir;
        this.environment = environment;
    }

    Config read(Node root) {
        MapView top = new MapView(root, root, "", problems, List.of("global", "connections"));
        Global global = global(top.map("global", List.of("control", "logging", "ike")));
        Map<String, Connection> connections = new LinkedHashMap<>();
        if (!top.has("connections")) {
            top.missing("connections", "");
        } else {
            MapView conns = top.map("connections", null);
            ConnectionReader reader = new ConnectionReader(problems, baseDir, environment);
            for (var e : conns.entries().entrySet()) {
                NodeTuple t = e.getValue();
                if (validName(t.getKeyNode(), conns.child(e.getKey()), "connection")) {
                    reader.read(e.getKey(), t, conns.child(e.getKey())).ifPresent(c -> connections.put(c.name(), c));
                }
            }
            if (conns.entries().isEmpty() && !conns.broken()) {
                problems.at(top.keyNode("connections"), "connections", "expected at least one connection, found none");
            }
        }
        return new Config(global, connections);
    }

    boolean validName(Node keyNode, String path, String what) {
        String name = ((ScalarNode) keyNode).getValue();
        if (NAME.matcher(name).matches()) return true;
        problems.at(keyNode, path, "invalid " + what + " name '" + name
                + "': expected letters, digits, '-' and '_' (starting with a letter or digit, at most 64)");
        return false;
    }

    private Global global(MapView g) {
        return new Global(control(g.map("control", List.of("socket", "group", "allowed_users", "allowed_groups"))),
                logging(g.map("logging", List.of("level", "format", "subsystems"))),
                retransmit(g.map("ike", List.of("retransmit")).map("retransmit",
                        List.of("timeout", "factor", "max_timeout", "retransmits"))));
    }

    private Retransmit retransmit(MapView r) {
        Optional<Duration> t = values.duration(r, "timeout");
        Optional<Duration> m = values.duration(r, "max_timeout");
        Duration timeout = t.orElse(Retransmit.DEFAULT_TIMEOUT);
        Duration max = m.orElse(Retransmit.DEFAULT_MAX_TIMEOUT);
        boolean readable = t.isPresent() == r.has("timeout") && m.isPresent() == r.has("max_timeout");
        if (max.compareTo(timeout) < 0 && readable) {
            problems.at(r.value("max_timeout").or(() -> r.value("timeout")).get(), r.child(r.has("max_timeout")
                    ? "max_timeout" : "timeout"), "max_timeout " + Durations.format(max) + " is shorter than timeout "
                    + Durations.format(timeout) + ": expected max_timeout >= timeout");
        }
        max = max.compareTo(timeout) < 0 ? timeout : max;
        double factor = Retransmit.DEFAULT_FACTOR;
        Optional<String> f = r.scalar("factor");
        if (f.isPresent()) {
            if (f.get().matches("\\d{1,2}(\\.\\d{1,3})?") && Double.parseDouble(f.get()) >= 1.0
                    && Double.parseDouble(f.get()) <= 4.0) {
                factor = Double.parseDouble(f.get());
            } else {
                problems.at(r.value("factor").get(), r.child("factor"), "expected a number from 1 to 4 (each resend waits"
                        + " this many times longer than the one before), found '" + f.get() + "'");
            }
        }
        int retransmits = values.integer(r, "retransmits", 0, 20, "retransmits").orElse(Retransmit.DEFAULT_RETRANSMITS);
        return new Retransmit(timeout, factor, max, retransmits);
    }

    private Control control(MapView c) {
        Path socket = Control.DEFAULT_SOCKET;
        Optional<String> s = c.scalar("socket");
        if (s.isPresent()) {
            if (s.get().startsWith("/")) socket = Path.of(s.get());
            else problems.at(c.value("socket").get(), c.child("socket"), "expected an absolute path, found '" + s.get() + "'");
        }
        Optional<String> group = c.scalar("group").filter(g -> account(g, c.value("group").get(), c.child("group"), "group"));
        List<String> users = accounts(c, "allowed_users", "user").orElse(Control.DEFAULT_ALLOWED_USERS);
        List<String> groups = accounts(c, "allowed_groups", "group").orElse(List.of());
        return new Control(socket, group, users, groups);
    }

    private Optional<List<String>> accounts(MapView c, String key, String what) {
        Optional<List<Node>> items = c.list(key);
        if (items.isEmpty()) return Optional.empty();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.get().size(); i++) {
            Node n = items.get().get(i);
            String path = c.child(key) + "[" + i + "]";
            if (n instanceof ScalarNode s && !MapView.isNull(s)) {
                if (account(s.getValue(), n, path, what)) names.add(s.getValue());
            } else {
                problems.at(n, path, "expected a " + what + " name, found " + MapView.describe(n));
            }
        }
        return Optional.of(names);
    }

    private boolean account(String name, Node at, String path, String what) {
        if (ACCOUNT.matcher(name).matches()) return true;
        problems.at(at, path, "expected a " + what + " name (letters, digits, '_', '-', '.'), found '" + name + "'");
        return false;
    }

    private Logging logging(MapView l) {
        String level = l.choice("level", Logging.LEVELS).orElse(Logging.DEFAULT_LEVEL);
        LogFormat format = l.choice("format", List.of("text", "json"))
                .map(f -> f.equals("json") ? LogFormat.JSON : LogFormat.TEXT).orElse(LogFormat.TEXT);
        MapView subs = l.map("subsystems", Logging.SUBSYSTEMS);
        Map<String, String> levels = new LinkedHashMap<>();
        for (String sub : Logging.SUBSYSTEMS) levels.put(sub, subs.choice(sub, Logging.LEVELS).orElse(level));
        return new Logging(level, format, levels);
    }
}
