package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.transform.KeyExchangeMethod;
import org.junit.jupiter.api.Test;

class KeyExchangeSelfTestTest {
    @Test
    void eachCommonKeyExchangeAgreesWithItselfEveryRound() {
        assertThat(KeyExchangeSelfTest.run(KeyExchangeSelfTest.COMMON, 2)).isEqualTo(2 * 5)
                .isEqualTo(2 * KeyExchangeSelfTest.COMMON.size());
        assertThat(KeyExchangeSelfTest.COMMON).contains(KeyExchangeMethod.ML_KEM_768);
    }
}
