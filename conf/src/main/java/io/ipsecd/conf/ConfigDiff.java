package io.ipsecd.conf;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a reload changes, by connection name. {@code changed} means any field differs, the
 * PSK content included (compared in constant time); the sets keep the order of the files.
 */
public record ConfigDiff(Set<String> added, Set<String> removed, Set<String> changed, Set<String> unchanged) {
    public ConfigDiff {
        added = Immutables.set(added);
        removed = Immutables.set(removed);
        changed = Immutables.set(changed);
        unchanged = Immutables.set(unchanged);
    }

    public static ConfigDiff between(Config old, Config neu) {
        Set<String> added = new LinkedHashSet<>(), removed = new LinkedHashSet<>();
        Set<String> changed = new LinkedHashSet<>(), unchanged = new LinkedHashSet<>();
        for (var e : old.connections().entrySet()) {
            Connection now = neu.connections().get(e.getKey());
            if (now == null) removed.add(e.getKey());
            else if (now.equals(e.getValue())) unchanged.add(e.getKey());
            else changed.add(e.getKey());
        }
        for (String name : neu.connections().keySet()) {
            if (!old.connections().containsKey(name)) added.add(name);
        }
        return new ConfigDiff(added, removed, changed, unchanged);
    }

    /** Whether the connections are all the same (the global section is not compared). */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
