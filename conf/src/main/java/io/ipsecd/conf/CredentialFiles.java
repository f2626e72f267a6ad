package io.ipsecd.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks the certificate, key and CRL files of {@code auth: pubkey} at load time: present, a
 * regular file, readable and not empty, and for a private key closed to group and others. The
 * content is not parsed here; the IKE side does that when it loads the connection.
 */
final class CredentialFiles {
    /** Far above any certificate bundle or CRL a gateway uses; keeps a wrong path (a disk image) from being read. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private CredentialFiles() {}

    /** A certificate or CRL file; {@code what} names it in messages, e.g. {@code certificate file}. */
    static Outcome<CredentialFile> publicFile(Path file, String what) {
        if (!Files.exists(file)) return Outcome.err(what + " " + file + " does not exist");
        if (!Files.isRegularFile(file)) return Outcome.err(what + " " + file + " is not a regular file");
        return read(file, what);
    }

    /** A private key file: also refused when group or others may read or write it. */
    static Outcome<CredentialFile> privateFile(Path file, String what) {
        var problem = SecretReader.privateFileProblem(file, what);
        return problem.isPresent() ? Outcome.err(problem.get()) : read(file, what);
    }

    private static Outcome<CredentialFile> read(Path file, String what) {
        byte[] content = null;
        try {
            long size = Files.size(file);
            if (size == 0) return Outcome.err(what + " " + file + " is empty");
            if (size > MAX_BYTES) {
                return Outcome.err(what + " " + file + " is " + size + " bytes long: expected at most " + MAX_BYTES
                        + " (is this the right file?)");
            }
            content = Files.readAllBytes(file);
            return Outcome.ok(new CredentialFile(file, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))));
        } catch (IOException e) {
            return Outcome.err("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        } finally {
            if (content != null) java.util.Arrays.fill(content, (byte) 0);
        }
    }
}
