package io.ipsecd.dataplane.tun;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Names are checked before any syscall, so these need no root. */
class TunNameTest {
  @Test
  void aNameOfSixteenBytesIsRefusedWithTheLimit() {
    assertThatThrownBy(() -> LinuxTunDevice.open("ipsec-sixteen-ch"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interface name 'ipsec-sixteen-ch' is 16 bytes; Linux allows at most 15");
  }

  @Test
  void slashesSpacesAndDotsAreRefused() {
    for (String bad : new String[] {"a/b", "a b", ".", "..", "eth0:1"}) {
      assertThatThrownBy(() -> LinuxTunDevice.checkName(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not valid");
    }
  }

  @Test
  void ordinaryNamesAndTemplatesPass() {
    assertThatCode(() -> LinuxTunDevice.checkName("ipsec0")).doesNotThrowAnyException();
    assertThatCode(() -> LinuxTunDevice.checkName("ipsec%d")).doesNotThrowAnyException();
    assertThatCode(() -> LinuxTunDevice.checkName("fifteen-chars-x")).doesNotThrowAnyException();
  }
}
