package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import javax.security.auth.Destroyable;

/**
 * One side of one key exchange, shaped for both Diffie-Hellman and KEMs (RFC 9370): the initiator
 * sends {@link #initiatorShare()} and later {@link #complete}s with the responder's KE data; the
 * responder {@link #respond}s to the initiator's share in one step. For DH the responder's share is
 * its own public value; for a KEM ({@code MlKemKeyExchange}) it is the ciphertext
 * encapsulated to the initiator's public key.
 *
 * <p>Create with {@link KeyExchanges}. Peer shares are validated (length, range, curve membership,
 * non-zero result) and refused with {@link InvalidKeyExchangeException}.
 */
public sealed interface KeyExchange extends Destroyable permits DiffieHellman, MlKemKeyExchange {

    KeyExchangeMethod method();

    /** Initiator: the KE payload data to send. */
    Bytes initiatorShare();

    /** Responder: the KE payload data to answer with and the shared secret. */
    Response respond(Bytes initiatorShare) throws InvalidKeyExchangeException;

    /** Initiator: the shared secret, from the responder's KE payload data. */
    SecretBytes complete(Bytes responderShare) throws InvalidKeyExchangeException;

    /** Forgets the private key (wiped where we own its bytes; see each implementation). Never fails. */
    @Override
    void destroy();

    record Response(Bytes responderShare, SecretBytes sharedSecret) {
    }
}
