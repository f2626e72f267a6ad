package io.ipsecd.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Helpers shared by the tests: PSK files with chosen permissions, loading inline YAML. */
final class TestFiles {
    static final String PSK = "Recognisable-PSK-Value-Do-Not-Print-42";

    private TestFiles() {}

    static Path psk(Path dir, String name, String content, String perms) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    static LoadResult parse(String yaml, Path dir) {
        return ConfigLoader.parse(yaml, "test.yaml", dir, TestFiles::env);
    }

    static String env(String name) {
        return switch (name) {
            case "TEST_PSK" -> PSK;
            case "SHORT_PSK" -> "short";
            default -> null;
        };
    }

    static Config valid(String yaml, Path dir) {
        LoadResult r = parse(yaml, dir);
        if (r instanceof LoadResult.Invalid(var errors)) {
            throw new AssertionError("expected a valid config, got:\n" + String.join("\n", errors.stream().map(Object::toString).toList()));
        }
        return ((LoadResult.Valid) r).config();
    }
}
