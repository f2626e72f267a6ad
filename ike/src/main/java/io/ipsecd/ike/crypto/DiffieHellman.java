package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;

/**
 * A key exchange in which both sides send a public value and combine the peer's with their own
 * private key (MODP, ECP, X25519/X448). Only the agreement differs between groups; the roles don't.
 */
sealed interface DiffieHellman extends KeyExchange permits ModpKeyExchange, EcpKeyExchange, XdhKeyExchange {

    /** The shared secret from the peer's validated public value. */
    SecretBytes agree(Bytes peerPublicValue) throws InvalidKeyExchangeException;

    @Override
    default Response respond(Bytes initiatorShare) throws InvalidKeyExchangeException {
        return new Response(initiatorShare(), agree(initiatorShare));
    }

    @Override
    default SecretBytes complete(Bytes responderShare) throws InvalidKeyExchangeException {
        return agree(responderShare);
    }
}
