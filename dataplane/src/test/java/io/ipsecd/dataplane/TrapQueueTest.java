package io.ipsecd.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrapQueueTest {
  @Test
  void holdsAtMostItsCapacityInOrderAndZeroesWhatItHandsOut() {
    TrapQueue q = new TrapQueue();
    for (int i = 0; i < TrapQueue.CAPACITY; i++) {
      assertThat(q.offer(new byte[] {(byte) i, 1, 2}, 0, 3)).isTrue();
    }
    assertThat(q.offer(new byte[] {99}, 0, 1)).as("full").isFalse();
    assertThat(q.size()).isEqualTo(TrapQueue.CAPACITY);
    for (int i = 0; i < TrapQueue.CAPACITY; i++) {
      byte[] held = q.peek();
      assertThat(q.peekLength()).isEqualTo(3);
      assertThat(held[0]).isEqualTo((byte) i);
      q.remove();
      assertThat(held[0]).as("plaintext wiped once handed out").isZero();
    }
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.offer(new byte[] {7}, 0, 1)).as("room again").isTrue();
  }

  @Test
  void acquiresOnceAndAgainOnlyAfterTheInterval() {
    TrapQueue q = new TrapQueue();
    long t = 1_000_000_000L;
    assertThat(q.acquireDue(t)).isTrue();
    assertThat(q.acquireDue(t + 1)).isFalse();
    assertThat(q.acquireDue(t + TrapQueue.ACQUIRE_INTERVAL_NANOS - 1)).isFalse();
    assertThat(q.acquireDue(t + TrapQueue.ACQUIRE_INTERVAL_NANOS)).isTrue();
  }
}
