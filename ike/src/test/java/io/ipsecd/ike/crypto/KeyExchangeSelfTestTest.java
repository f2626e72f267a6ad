package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyExchangeSelfTestTest {
    @Test
    void eachCommonKeyExchangeAgreesWithItselfEveryRound() {
        assertThat(KeyExchangeSelfTest.run(KeyExchangeSelfTest.COMMON, 2)).isEqualTo(2 * 4);
    }
}
