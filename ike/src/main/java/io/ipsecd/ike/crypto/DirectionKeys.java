package io.ipsecd.ike.crypto;

import javax.security.auth.Destroyable;

/** The encryption (with salt) and integrity keys protecting one direction; integrity is empty for AEAD. */
public record DirectionKeys(SecretBytes encryption, SecretBytes integrity) implements Destroyable {
    @Override
    public void destroy() {
        encryption.destroy();
        integrity.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return encryption.isDestroyed() && integrity.isDestroyed();
    }
}
