package io.ipsecd.conf;

import java.util.LinkedHashSet;
import java.util.Optional;
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

    /**
     * For a changed connection: the names of the children added, removed or changed, when nothing
     * but its children changed (its IKE SA and other children can stay); empty when the connection
     * itself changed (addresses, identities, PSK, IKE settings, interface), which re-creates it.
     */
    public static Optional<Set<String>> changedChildren(Connection old, Connection neu) {
        Connection withOldChildren = neu.withChildren(old.children());
        if (!withOldChildren.equals(old)) return Optional.empty();
        Set<String> names = new LinkedHashSet<>();
        old.children().forEach((name, child) -> {
            if (!child.equals(neu.children().get(name))) names.add(name);
        });
        for (String name : neu.children().keySet()) {
            if (!old.children().containsKey(name)) names.add(name);
        }
        return Optional.of(Immutables.set(names));
    }

    /** Whether the connections are all the same (the global section is not compared). */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
