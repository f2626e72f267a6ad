package io.ipsecd.dataplane.spd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class IntMapTest {
  @Property(tries = 200)
  void behavesLikeAHashMapUnderAddsAndRemoves(@ForAll List<Integer> keys, @ForAll List<Integer> removals) {
    IntMap<String> map = IntMap.empty();
    Map<Integer, String> model = new HashMap<>();
    for (int k : keys) {
      map = map.with(k, "v" + k);
      model.put(k, "v" + k);
    }
    for (int k : removals) {
      map = map.without(k);
      model.remove(k);
    }
    assertThat(map.size()).isEqualTo(model.size());
    for (int k : keys) {
      assertThat(map.get(k)).isEqualTo(model.get(k));
    }
    for (int k : removals) {
      assertThat(map.get(k)).isEqualTo(model.get(k));
    }
  }
}
