package io.ipsecd.conf;

/**
 * One problem in a configuration file. Line and column are 1-based and point at the offending
 * key or value. {@code field} is the dotted path, e.g. {@code connections.a.ike.proposals[0]}.
 */
public record ConfigError(String file, int line, int column, String field, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}
