package io.ipsecd.conf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping with its path: reports duplicate and unknown keys once, when built, and type
 * errors when values are read. A missing or null section reads as an empty mapping.
 */
final class MapView {
    private final String path;
    private final Node anchor;
    private final Problems problems;
    private final boolean broken;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    /**
     * @param anchor where "missing key" errors point: the key naming this mapping, or the mapping itself
     * @param allowed the keys this mapping may have, or null for free-form names
     */
    MapView(Node node, Node anchor, String path, Problems problems, List<String> allowed) {
        this.path = path;
        this.anchor = anchor;
        this.problems = problems;
        if (node == null || isNull(node)) {
            broken = false;
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.at(node, display(path), "expected a mapping, found " + describe(node));
            broken = true;
            return;
        }
        broken = false;
        for (NodeTuple t : mapping.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode sk) || isNull(keyNode)) {
                problems.at(keyNode, display(path), "expected a plain key, found " + describe(keyNode));
                continue;
            }
            String key = sk.getValue();
            if (entries.containsKey(key)) {
                var first = entries.get(key).getKeyNode().getStartMark();
                problems.at(keyNode, child(key), "duplicate key '" + key + "': already given at line "
                        + (first.getLine() + 1) + ", column " + (first.getColumn() + 1));
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                problems.at(keyNode, display(path), "unknown key '" + key + "': " + Suggest.expectedOneOf(key, allowed));
                continue;
            }
            entries.put(key, t);
        }
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s when s.getTag().equals(Tag.NULL) -> "nothing (null)";
            case ScalarNode s when s.getTag().equals(Tag.BOOL) -> "a boolean";
            case ScalarNode s when s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT) -> "a number";
            case ScalarNode s -> "a string";
            default -> "a " + node.getNodeId();
        };
    }

    static String display(String path) {
        return path.isEmpty() ? "(top level)" : path;
    }

    /** Whether the mapping itself had the wrong type (its keys are then not checked further). */
    boolean broken() {
        return broken;
    }

    String path() {
        return path;
    }

    Node anchor() {
        return anchor;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Map<String, NodeTuple> entries() {
        return entries;
    }

    Optional<Node> value(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
    }

    Node keyNode(String key) {
        return entries.get(key).getKeyNode();
    }

    void missing(String key, String why) {
        if (!broken) problems.at(anchor, display(path), "missing required key '" + key + "'" + why);
    }

    /** A nested mapping; empty when absent or null. */
    MapView map(String key, List<String> allowed) {
        NodeTuple t = entries.get(key);
        return t == null ? new MapView(null, anchor, child(key), problems, allowed)
                : new MapView(t.getValueNode(), t.getKeyNode(), child(key), problems, allowed);
    }

    /** A scalar as text; absent when missing, and reported when it is null, a list or a mapping. */
    Optional<String> scalar(String key) {
        Optional<Node> v = value(key);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof ScalarNode s && !isNull(s)) return Optional.of(s.getValue());
        problems.at(v.get(), child(key), "expected a string, found " + describe(v.get()));
        return Optional.empty();
    }

    Optional<String> requiredScalar(String key, String why) {
        if (!has(key)) missing(key, why);
        return scalar(key);
    }

    /** The items of a list; a lone scalar is refused. Absent or null reads as absent. */
    Optional<List<Node>> list(String key) {
        Optional<Node> v = value(key);
        if (v.isEmpty() || isNull(v.get())) return Optional.empty();
        if (v.get() instanceof SequenceNode s) return Optional.of(s.getValue());
        problems.at(v.get(), child(key), "expected a list, found " + describe(v.get()));
        return Optional.empty();
    }

    /** A boolean (true/false, also YAML 1.1 yes/no/on/off). */
    Optional<Boolean> bool(String key) {
        Optional<Node> v = value(key);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            String t = s.getValue().toLowerCase(java.util.Locale.ROOT);
            return Optional.of(t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y"));
        }
        problems.at(v.get(), child(key), "expected true or false, found " + describe(v.get()));
        return Optional.empty();
    }

    /** A scalar that must be one of {@code options}; anything else is reported with a suggestion. */
    Optional<String> choice(String key, List<String> options) {
        Optional<String> v = scalar(key);
        if (v.isEmpty() || options.contains(v.get())) return v;
        problems.at(value(key).get(), child(key), "unknown value '" + v.get() + "': " + Suggest.expectedOneOf(v.get(), options));
        return Optional.empty();
    }
}
