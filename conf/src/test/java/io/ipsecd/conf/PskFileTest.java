package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PskFileTest {
    @TempDir Path dir;

    private static String config(String file) {
        return """
                connections:
                  site:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { file: %s }
                """.formatted(file);
    }

    private List<String> errors(String yaml) {
        LoadResult r = TestFiles.parse(yaml, dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
    }

    @Test
    void privateFileLoadsAndLosesItsTrailingNewline() throws Exception {
        TestFiles.psk(dir, "site.psk", TestFiles.PSK + "\r\n", "rw-------");
        Config c = TestFiles.valid(config("site.psk"), dir);
        Secret s = c.connections().get("site").psk().orElseThrow();
        assertThat(new String(s.bytes())).isEqualTo(TestFiles.PSK);
        assertThat(s.source()).isEqualTo("file " + dir.resolve("site.psk"));
    }

    @Test
    void ownerReadOnlyIsFine() throws Exception {
        TestFiles.psk(dir, "ro.psk", TestFiles.PSK, "r--------");
        TestFiles.valid(config("ro.psk"), dir);
    }

    @Test
    void worldReadableFileIsRefusedWithTheFix() throws Exception {
        Path f = TestFiles.psk(dir, "site.psk", TestFiles.PSK, "rw-r--r--");
        assertThat(errors(config("site.psk"))).containsExactly("test.yaml:5:18: connections.site.psk.file: PSK file " + f
                + " is accessible by group or others (rw-r--r--): run chmod 600 " + f);
    }

    @Test
    void groupWritableFileIsRefused() throws Exception {
        Path f = TestFiles.psk(dir, "site.psk", TestFiles.PSK, "rw--w----");
        assertThat(errors(config(f.toString()))).singleElement().asString().endsWith("run chmod 600 " + f);
    }

    @Test
    void absolutePathIsNotResolvedAgainstTheBaseDir() throws Exception {
        Path other = Files.createDirectory(dir.resolve("elsewhere"));
        Path f = TestFiles.psk(other, "abs.psk", TestFiles.PSK, "rw-------");
        TestFiles.valid(config(f.toString()), dir.resolve("missing-base"));
    }

    @Test
    void missingFile() {
        assertThat(errors(config("nope.psk"))).containsExactly(
                "test.yaml:5:18: connections.site.psk.file: PSK file " + dir.resolve("nope.psk") + " does not exist");
    }

    @Test
    void directoryIsNotARegularFile() throws Exception {
        Files.createDirectory(dir.resolve("d.psk"));
        assertThat(errors(config("d.psk"))).containsExactly(
                "test.yaml:5:18: connections.site.psk.file: PSK file " + dir.resolve("d.psk") + " is not a regular file");
    }

    @Test
    void shortKeyIsRefusedWithoutShowingIt() throws Exception {
        TestFiles.psk(dir, "short.psk", "tiny-secret\n", "rw-------");
        List<String> errors = errors(config("short.psk"));
        assertThat(errors).containsExactly("test.yaml:5:18: connections.site.psk.file: PSK in file " + dir.resolve("short.psk")
                + " is 11 bytes long: expected at least 20 bytes (generate one with: head -c 32 /dev/urandom | base64)");
        assertThat(errors.getFirst()).doesNotContain("tiny-secret");
    }

    @Test
    void exactlyTwentyBytesIsEnough() throws Exception {
        TestFiles.psk(dir, "twenty.psk", "12345678901234567890", "rw-------");
        TestFiles.valid(config("twenty.psk"), dir);
    }

    @Test
    void loadResolvesRelativePathsAgainstTheConfigDirectory() throws Exception {
        TestFiles.psk(dir, "site.psk", TestFiles.PSK, "rw-------");
        Path conf = dir.resolve("ipsecd.yaml");
        Files.writeString(conf, config("site.psk"));
        LoadResult r = ConfigLoader.load(conf);
        assertThat(r).isInstanceOf(LoadResult.Valid.class);
    }
}
