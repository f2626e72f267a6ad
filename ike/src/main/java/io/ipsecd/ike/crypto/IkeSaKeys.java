package io.ipsecd.ike.crypto;

import javax.security.auth.Destroyable;

/**
 * The seven IKE SA keys (RFC 7296 §2.14). {@code initiator} protects what the original initiator
 * sends (SK_ei, SK_ai), {@code responder} what the responder sends (SK_er, SK_ar).
 * {@link #destroy()} wipes them all, for when the SA is deleted or rekeyed.
 */
public record IkeSaKeys(SecretBytes skD, DirectionKeys initiator, DirectionKeys responder, SecretBytes skPi,
                        SecretBytes skPr) implements Destroyable {
    @Override
    public void destroy() {
        skD.destroy();
        initiator.destroy();
        responder.destroy();
        skPi.destroy();
        skPr.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return skD.isDestroyed() && initiator.isDestroyed() && responder.isDestroyed() && skPi.isDestroyed()
                && skPr.isDestroyed();
    }
}
