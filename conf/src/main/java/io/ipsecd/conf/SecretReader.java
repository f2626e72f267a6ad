package io.ipsecd.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads PSKs (and PPKs, with the same rules, and key passphrases) from files or environment
 * variables. Messages name the file or variable and the length, never the content.
 */
final class SecretReader {
    static final int MIN_PSK_BYTES = 20;
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretReader() {}

    static Outcome<Secret> fromFile(Path file) {
        return fromFile(file, "PSK");
    }

    /** A passphrase (of an encrypted private key) from a private file: any non-empty content. */
    static Outcome<Secret> passphraseFromFile(Path file) {
        return fromFile(file, "passphrase");
    }

    static Outcome<Secret> passphraseFromEnv(String name, Function<String, String> environment) {
        String v = environment.apply(name);
        if (v == null) return Outcome.err("environment variable " + name + " is not set");
        if (v.isEmpty()) return Outcome.err("passphrase in environment variable " + name + " is empty");
        return Outcome.ok(Secret.of(v.getBytes(StandardCharsets.UTF_8), "env " + name));
    }

    /** {@code kind} names the secret in messages: "PSK", "PPK", "passphrase" (which has no minimum length). */
    static Outcome<Secret> fromFile(Path file, String kind) {
        java.util.Optional<String> problem = privateFileProblem(file, kind + " file");
        if (problem.isPresent()) return Outcome.err(problem.get());
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            return Outcome.err("cannot read " + kind + " file " + file + ": " + e.getClass().getSimpleName());
        }
        byte[] value = stripLineEnd(raw);
        Arrays.fill(raw, (byte) 0);
        if (!kind.equals("passphrase")) return checked(value, "file " + file, kind + " in file " + file);
        try {
            if (value.length == 0) return Outcome.err(kind + " file " + file + " is empty");
            return Outcome.ok(Secret.of(value, "file " + file));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /**
     * Why {@code file} may not hold a secret, or empty when it may: it must exist, be a regular
     * file, and be closed to group and others (the same rule for PSK, PPK, passphrase and private key files).
     *
     * @param what how messages name it, e.g. {@code PSK file} or {@code private key file}
     */
    static java.util.Optional<String> privateFileProblem(Path file, String what) {
        if (!Files.exists(file)) return java.util.Optional.of(what + " " + file + " does not exist");
        if (!Files.isRegularFile(file)) return java.util.Optional.of(what + " " + file + " is not a regular file");
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, new LinkOption[0]);
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            open.addAll(perms);
            open.retainAll(GROUP_OR_OTHER);
            if (!open.isEmpty()) {
                return java.util.Optional.of(what + " " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "): run chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        } catch (IOException e) {
            return java.util.Optional.of("cannot read the permissions of " + what + " " + file + ": " + e.getClass().getSimpleName());
        }
        return java.util.Optional.empty();
    }

    static Outcome<Secret> fromEnv(String name, Function<String, String> environment) {
        return fromEnv(name, environment, "PSK");
    }

    static Outcome<Secret> fromEnv(String name, Function<String, String> environment, String kind) {
        String v = environment.apply(name);
        if (v == null) return Outcome.err("environment variable " + name + " is not set");
        return checked(v.getBytes(StandardCharsets.UTF_8), "env " + name, kind + " in environment variable " + name);
    }

    private static Outcome<Secret> checked(byte[] value, String source, String what) {
        try {
            if (value.length < MIN_PSK_BYTES) {
                return Outcome.err(what + " is " + value.length + " bytes long: expected at least " + MIN_PSK_BYTES
                        + " bytes (generate one with: head -c 32 /dev/urandom | base64)");
            }
            return Outcome.ok(Secret.of(value, source));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** One trailing newline (LF or CRLF) is not part of the key: editors and echo add it. */
    private static byte[] stripLineEnd(byte[] raw) {
        int n = raw.length;
        if (n > 0 && raw[n - 1] == '\n') {
            n--;
            if (n > 0 && raw[n - 1] == '\r') n--;
        }
        return Arrays.copyOf(raw, n);
    }
}
