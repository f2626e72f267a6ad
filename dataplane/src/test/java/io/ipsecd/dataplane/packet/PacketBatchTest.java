package io.ipsecd.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketBatchTest {
  private final PacketBatch batch = PacketBatch.allocate(4, 128, 32);

  @Test
  void slotsStartEmptyAtTheHeadroom() {
    assertThat(batch.slots()).isEqualTo(4);
    assertThat(batch.count()).isZero();
    assertThat(batch.offset(3)).isEqualTo(32);
    assertThat(batch.length(3)).isZero();
  }

  @Test
  void putPlacesBytesAfterTheHeadroomAndCopyReturnsThem() {
    batch.put(1, new byte[] {9, 1, 2, 3, 9}, 1, 3);
    assertThat(batch.offset(1)).isEqualTo(32);
    assertThat(batch.copy(1)).containsExactly(1, 2, 3);
    assertThat(batch.buffer(1)[32]).isEqualTo((byte) 1);
  }

  @Test
  void theSegmentViewIsTheSameMemoryAsTheArrayAndIsReused() {
    MemorySegment s = batch.segmentFrom(0, 40);
    s.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x5a);
    assertThat(batch.buffer(0)[40]).isEqualTo((byte) 0x5a);
    assertThat(s.byteSize()).isEqualTo(128 - 40);
    assertThat(batch.segmentFrom(0, 40)).as("no new slice for the same offset").isSameAs(s);
    assertThat(batch.segmentFrom(0, 41)).isNotSameAs(s);
  }

  @Test
  void byteBufferViewsFrameThePacketOrTheReceiveRoom() {
    batch.set(2, 10, 20);
    ByteBuffer send = batch.packetView(2);
    assertThat(send.position()).isEqualTo(10);
    assertThat(send.remaining()).isEqualTo(20);
    assertThat(send.array()).isSameAs(batch.buffer(2));
    ByteBuffer receive = batch.receiveView(2);
    assertThat(receive.position()).isEqualTo(32);
    assertThat(receive.remaining()).isEqualTo(96);
  }

  @Test
  void refusesPacketsThatDoNotFitAndBadShapes() {
    assertThatThrownBy(() -> batch.set(0, 100, 29)).hasMessageContaining("does not fit a 128-byte buffer");
    assertThatThrownBy(() -> batch.count(5)).hasMessageContaining("outside 0..4");
    assertThatThrownBy(() -> PacketBatch.allocate(1, 64, 64)).hasMessageContaining("headroom < bufferSize");
  }
}
