package io.ipsecd.conf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Insertion-ordered unmodifiable copies; List.copyOf already keeps order. */
final class Immutables {
    private Immutables() {}

    static <K, V> Map<K, V> map(Map<K, V> source) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }

    static <T> Set<T> set(Set<T> source) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(source));
    }

    static <T> List<List<T>> nested(List<List<T>> source) {
        return source.stream().map(List::copyOf).toList();
    }
}
