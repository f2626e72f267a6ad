package io.ipsecd.conf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Logging: a default level, a format and one level per subsystem. The loader fills in every
 * subsystem of {@link #SUBSYSTEMS}, using {@code level} for those the file does not name.
 */
public record Logging(String level, LogFormat format, Map<String, String> subsystems) {
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");
    public static final List<String> SUBSYSTEMS = List.of("ike", "esp", "net", "cfg", "ctl");
    public static final String DEFAULT_LEVEL = "info";

    public Logging {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
        subsystems = Immutables.map(subsystems);
    }

    public static Logging defaults() {
        Map<String, String> levels = new LinkedHashMap<>();
        SUBSYSTEMS.forEach(s -> levels.put(s, DEFAULT_LEVEL));
        return new Logging(DEFAULT_LEVEL, LogFormat.TEXT, levels);
    }

    /** The level for one subsystem, falling back to the default level. */
    public String levelOf(String subsystem) {
        return subsystems.getOrDefault(subsystem, level);
    }
}
