package io.ipsecd.dataplane.spd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable int-keyed map for lock-free lookups on the per-packet path: SPI to SA, policy id to
 * policy. Reads probe a primitive array (no boxing, no allocation); every change builds a new map,
 * which is fine at the rate IKE installs SAs. Publish it through a volatile field.
 */
public final class IntMap<V> {
  private static final IntMap<?> EMPTY = new IntMap<>(new int[2], new Object[2], 0);

  private final int[] keys;
  private final Object[] values; // null marks an empty slot
  private final int size;

  private IntMap(int[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <V> IntMap<V> empty() {
    return (IntMap<V>) EMPTY;
  }

  @SuppressWarnings("unchecked")
  public V get(int key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == key) {
        return (V) v;
      }
    }
  }

  public int size() {
    return size;
  }

  /** A copy with {@code key} mapped to {@code value} (replacing any earlier value). */
  public IntMap<V> with(int key, V value) {
    Objects.requireNonNull(value, "value");
    List<V> vals = new ArrayList<>(size + 1);
    List<Integer> ks = new ArrayList<>(size + 1);
    forEach((k, v) -> {
      if (k != key) {
        ks.add(k);
        vals.add(v);
      }
    });
    ks.add(key);
    vals.add(value);
    return build(ks, vals);
  }

  /** A copy without {@code key}; this map if it had none. */
  public IntMap<V> without(int key) {
    if (get(key) == null) {
      return this;
    }
    List<V> vals = new ArrayList<>(size);
    List<Integer> ks = new ArrayList<>(size);
    forEach((k, v) -> {
      if (k != key) {
        ks.add(k);
        vals.add(v);
      }
    });
    return build(ks, vals);
  }

  public interface Visitor<V> {
    void visit(int key, V value);
  }

  @SuppressWarnings("unchecked")
  public void forEach(Visitor<V> visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null) {
        visitor.visit(keys[i], (V) values[i]);
      }
    }
  }

  public List<V> values() {
    List<V> out = new ArrayList<>(size);
    forEach((k, v) -> out.add(v));
    return out;
  }

  private static <V> IntMap<V> build(List<Integer> ks, List<V> vals) {
    // Load factor at most 1/2 keeps probe chains short.
    int capacity = Integer.highestOneBit(Math.max(2, ks.size() * 2 + 1)) << 1;
    int[] keys = new int[capacity];
    Object[] values = new Object[capacity];
    int mask = capacity - 1;
    for (int n = 0; n < ks.size(); n++) {
      int key = ks.get(n);
      int i = mix(key) & mask;
      while (values[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = vals.get(n);
    }
    return new IntMap<>(keys, values, ks.size());
  }

  private static int mix(int key) {
    // murmur3 finaliser: SPIs are random, but policy ids are small consecutive numbers.
    int h = key;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
