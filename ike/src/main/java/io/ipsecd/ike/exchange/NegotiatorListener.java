package io.ipsecd.ike.exchange;

import java.util.Optional;

/**
 * What the negotiator tells the daemon. Called on the IKE event loop: hand off quickly. Messages
 * are for admins: they name the tunnel's peer and what to check, and never contain key material.
 */
public interface NegotiatorListener {
    /** A negotiation failed, or a peer stopped answering; {@code child} is empty for IKE SA failures. */
    void failed(String connection, Optional<String> child, String message);

    /** Something worth an event line: established, installed, deleted. */
    default void event(String type, String connection, String message) {
    }
}
