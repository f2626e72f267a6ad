package io.ipsecd.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.dataplane.net.UdpEncap.Kind;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UdpEncapTest {
  private static final HexFormat HEX = HexFormat.of();

  // IKE_SA_INIT header (28 bytes): initiator SPI, zero responder SPI, next payload SA (0x21),
  // version 2.0, exchange IKE_SA_INIT (34), flags Initiator, message ID 0, length 28.
  private static final String IKE_HEADER =
      "0123456789abcdef" + "0000000000000000" + "21" + "20" + "22" + "08" + "00000000" + "0000001c";

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "ff,                                          KEEPALIVE",
      "00,                                          INVALID",   // one byte that is not 0xFF
      "'',                                          INVALID",   // empty
      "000000,                                      INVALID",   // shorter than a marker
      "00000000,                                    INVALID",   // marker, no IKE header
      "00000000" + IKE_HEADER + ",                  IKE",
      "00000000" + "0123456789abcdef0000000000000000212022080000000000001c" + ",INVALID", // 27-byte header
      "c0ffee01" + "00000001" + "deadbeef" + ",     ESP",       // SPI 0xc0ffee01, seq 1, data
      "00000100" + "00000001" + ",                  ESP",       // SPI 256, the first assignable one
      "000000ff" + "00000001" + "00" + ",           INVALID",   // SPI 255 is reserved
      "00000001" + "00000001" + ",                  INVALID",   // SPI 1 is reserved
      "c0ffee01" + "000000" + ",                    INVALID",   // SPI but no full sequence number
      "ffffffff" + "ffffffff" + ",                  ESP",       // top SPI: still ESP, unsigned
      "ffff,                                        INVALID",   // 0xFF then more: not a keepalive
  })
  void classifiesAsRfc3948Says(String hex, Kind expected) {
    byte[] bytes = HEX.parseHex(hex == null ? "" : hex.strip());
    assertThat(UdpEncap.classify(bytes, 0, bytes.length)).isEqualTo(expected);
  }

  @Test
  void looksOnlyAtTheGivenRange() {
    // keepalive byte sitting in the middle of a larger buffer, surrounded by ESP-looking bytes
    byte[] bytes = HEX.parseHex("c0ffee0100000001" + "ff" + "c0ffee0100000001");
    assertThat(UdpEncap.classify(bytes, 8, 1)).isEqualTo(Kind.KEEPALIVE);
    assertThat(UdpEncap.classify(bytes, 9, 8)).isEqualTo(Kind.ESP);
    assertThat(UdpEncap.classify(bytes, 0, 3)).isEqualTo(Kind.INVALID);
  }

  @Test
  void readsTheSpiUnsignedBigEndian() {
    byte[] bytes = HEX.parseHex("aa" + "fedcba98" + "00000001");
    assertThat(UdpEncap.spi(bytes, 1)).isEqualTo(0xfedcba98L);
  }

  @Test
  void aRangeOutsideTheBufferIsABugNotInvalidTraffic() {
    assertThatThrownBy(() -> UdpEncap.classify(new byte[4], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
