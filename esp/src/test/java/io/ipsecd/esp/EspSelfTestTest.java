package io.ipsecd.esp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EspSelfTestTest {
    @Test
    void everyTransformCarriesEveryRoundAndRefusesADamagedIcv() throws Exception {
        assertThat(EspSelfTest.run(EspSelfTest.HOT, 30)).isEqualTo(3 * 30);
        assertThat(EspSelfTest.run(EspSelfTest.COLD, 3)).isEqualTo(4 * 3);
    }
}
