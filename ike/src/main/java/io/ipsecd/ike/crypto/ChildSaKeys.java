package io.ipsecd.ike.crypto;

import javax.security.auth.Destroyable;

/**
 * A child SA's KEYMAT split (RFC 7296 §2.17). "Initiator" is the initiator of the exchange that
 * created this child SA (IKE_AUTH or CREATE_CHILD_SA), which is not always the IKE SA initiator.
 */
public record ChildSaKeys(DirectionKeys initiatorToResponder, DirectionKeys responderToInitiator) implements Destroyable {
    @Override
    public void destroy() {
        initiatorToResponder.destroy();
        responderToInitiator.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return initiatorToResponder.isDestroyed() && responderToInitiator.isDestroyed();
    }
}
