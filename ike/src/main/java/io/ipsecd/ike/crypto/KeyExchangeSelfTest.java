package io.ipsecd.ike.crypto;

import io.ipsecd.ike.transform.KeyExchangeMethod;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.util.List;

/**
 * IKE's power-on self-test: both halves of each common key exchange must agree on the shared
 * secret, and the PRFs must run. Run a few times it also takes the class loading and the first
 * JIT compilations of the big-number code off the first handshake, which otherwise spends most of
 * its time there in a fresh daemon.
 */
public final class KeyExchangeSelfTest {
    /**
     * What cloud peers and strongSwan propose by default, plus ML-KEM-768, the usual hybrid
     * additional key exchange (RFC 9370); an ML-KEM round costs well under a millisecond.
     */
    public static final List<KeyExchangeMethod> COMMON = List.of(KeyExchangeMethod.CURVE25519,
            KeyExchangeMethod.ECP_256, KeyExchangeMethod.ECP_384, KeyExchangeMethod.MODP_2048,
            KeyExchangeMethod.ML_KEM_768);

    private KeyExchangeSelfTest() {}

    /**
     * @return key exchanges completed
     * @throws IllegalStateException the two halves of an exchange disagreed
     */
    public static int run(List<KeyExchangeMethod> methods, int rounds) {
        RandomSource random = RandomSource.system();
        int done = 0;
        for (int i = 0; i < rounds; i++) {
            for (KeyExchangeMethod method : methods) {
                exchange(method, random);
                done++;
            }
            for (PrfAlgorithm prf : List.of(PrfAlgorithm.PRF_HMAC_SHA2_256, PrfAlgorithm.PRF_HMAC_SHA2_384,
                    PrfAlgorithm.PRF_HMAC_SHA2_512)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                Prf.of(prf).plus(key, key, 256);
            }
        }
        return done;
    }

    private static void exchange(KeyExchangeMethod method, RandomSource random) {
        KeyExchange initiator = KeyExchanges.create(method, random);
        KeyExchange responder = KeyExchanges.create(method, random);
        try {
            KeyExchange.Response response = responder.respond(initiator.initiatorShare());
            SecretBytes mine = initiator.complete(response.responderShare());
            byte[] theirs = response.sharedSecret().copy();
            boolean agree = mine.contentEquals(theirs);
            java.util.Arrays.fill(theirs, (byte) 0);
            mine.destroy();
            response.sharedSecret().destroy();
            if (!agree) {
                throw new IllegalStateException(method + ": the two sides of a key exchange disagree");
            }
        } catch (InvalidKeyExchangeException e) {
            throw new IllegalStateException(method + ": our own key share was refused: " + e.getMessage(), e);
        } finally {
            initiator.destroy();
            responder.destroy();
        }
    }
}
