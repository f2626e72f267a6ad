package io.ipsecd.conf;

import java.util.Objects;
import java.nio.file.Path;

/**
 * A certificate, key or CRL file named by the configuration, checked to exist and be readable when
 * the configuration was loaded. conf does not parse it (that is the IKE side's job); {@code sha256}
 * is the digest of its content then, so a reload notices a renewed certificate behind the same name.
 */
public record CredentialFile(Path path, String sha256) {
    public CredentialFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
