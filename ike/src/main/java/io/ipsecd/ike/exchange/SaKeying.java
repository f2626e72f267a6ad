package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.IkeSaKeys;
import io.ipsecd.ike.crypto.KeyDerivation;
import io.ipsecd.ike.crypto.Prf;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.crypto.SkCipher;
import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.IdPayload;
import java.util.Arrays;
import java.util.List;

/**
 * An IKE SA's key schedule: SKEYSEED and SK_* after IKE_SA_INIT (RFC 7296 §2.14), after each
 * additional key exchange (RFC 9370 §2.2.2) and for a rekeyed IKE SA (§2.18, RFC 9370 §2.2.4),
 * and the octets every AUTH method signs. Each step wipes the shared secrets it was given.
 */
final class SaKeying {
    private SaKeying() {
    }

    /** After IKE_SA_INIT. */
    static void initial(IkeSa sa, IkeSuite chosen, SecretBytes sharedSecret) {
        Prf prf = Prf.of(chosen.prf());
        derive(sa, chosen, prf, KeyDerivation.skeyseed(prf, sa.ni, sa.nr, sharedSecret), sharedSecret);
    }

    /** An IKE SA that replaces {@code old}: SKEYSEED from the old SK_d and PRF. */
    static void rekeyed(IkeSa sa, IkeSa old, IkeSuite chosen, SecretBytes sharedSecret) {
        rekeyed(sa, old, chosen, sharedSecret, List.of());
    }

    /** The same after additional key exchanges: SKEYSEED = prf(SK_d (old), SK(0) | Ni | Nr | SK(1) | ... | SK(n)). */
    static void rekeyed(IkeSa sa, IkeSa old, IkeSuite chosen, SecretBytes sharedSecret, List<SecretBytes> additional) {
        try {
            SecretBytes skeyseed = additional.isEmpty()
                    ? KeyDerivation.rekeySkeyseed(old.prf, old.keys.skD(), sharedSecret, sa.ni, sa.nr)
                    : KeyDerivation.rekeySkeyseed(old.prf, old.keys.skD(), sharedSecret, sa.ni, sa.nr, additional);
            derive(sa, chosen, Prf.of(chosen.prf()), skeyseed, sharedSecret);
        } finally {
            additional.forEach(SecretBytes::destroy);
        }
    }

    /**
     * After the n-th additional key exchange: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr) and
     * every SK_* anew, same SPIs and PRF; the old keys are wiped, the next message uses the new ones.
     */
    static void additional(IkeSa sa, SecretBytes sharedSecret) {
        IkeSaKeys old = sa.keys;
        derive(sa, sa.suite, sa.prf, KeyDerivation.rekeySkeyseed(sa.prf, old.skD(), sharedSecret, sa.ni, sa.nr),
                sharedSecret);
        old.destroy();
    }

    private static void derive(IkeSa sa, IkeSuite chosen, Prf prf, SecretBytes skeyseed, SecretBytes sharedSecret) {
        sa.suite = chosen;
        sa.prf = prf;
        try {
            sa.keys = KeyDerivation.ikeSaKeys(prf, skeyseed, sa.ni, sa.nr, sa.spiI, sa.spiR, chosen.cipher());
        } finally {
            skeyseed.destroy();
            sharedSecret.destroy();
        }
        IkeSaKeys k = sa.keys;
        sa.useCiphers(SkCipher.create(chosen.cipher(), sa.initiator ? k.initiator() : k.responder(), sa.n.random),
                SkCipher.create(chosen.cipher(), sa.initiator ? k.responder() : k.initiator(), sa.n.random));
    }

    /**
     * What the AUTH payload of one side covers (RFC 7296 §2.15, with RFC 9242's IntAuth appended):
     * {@code ours} for the AUTH we send, otherwise the peer's. Every AUTH method signs these octets.
     */
    static byte[] signedOctets(IkeSa sa, boolean ours, IdPayload id) {
        boolean signerIsInitiator = ours == sa.initiator;
        byte[] realMessage = signerIsInitiator ? sa.initRequest : sa.initResponse;
        byte[] otherNonce = signerIsInitiator ? sa.nr : sa.ni;
        byte[] skP = (ours ? sa.ourSkP() : sa.peerSkP()).copy();
        try {
            return sa.intermediate.appendTo(Identities.signedOctets(sa.prf, realMessage, otherNonce, skP, id));
        } finally {
            Arrays.fill(skP, (byte) 0);
        }
    }
}
