package io.ipsecd.conf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Collects every error of one load, with positions from SnakeYAML marks (0-based there, 1-based here). */
final class Problems {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void at(Node node, String field, String message) {
        var mark = node.getStartMark();
        at(mark.getLine() + 1, mark.getColumn() + 1, field, message);
    }

    void at(int line, int column, String field, String message) {
        errors.add(new ConfigError(file, line, column, field, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int count() {
        return errors.size();
    }

    /** In file order, without repeats (an aliased node is read once per use); ties keep the order found. */
    List<ConfigError> sorted() {
        return errors.stream()
                .distinct()
                .sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column))
                .toList();
    }
}
