package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ppk} block of a connection (RFC 8784 post-quantum preshared key). */
class PpkConfigTest {
    private static final String PPK = "Recognisable-PPK-Value-Do-Not-Print-7";

    @TempDir Path dir;

    private static String config(String ppkBlock) {
        return """
                connections:
                  site:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                %s
                    children:
                      net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }
                """.formatted(ppkBlock);
    }

    private List<String> errors(String yaml) {
        LoadResult r = TestFiles.parse(yaml, dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
    }

    private PpkSettings ppk(String yaml) {
        return TestFiles.valid(yaml, dir).connections().get("site").ppk().orElseThrow();
    }

    @Test
    void withoutABlockThereIsNoPpk() {
        assertThat(TestFiles.valid(config(""), dir).connections().get("site").ppk()).isEmpty();
    }

    @Test
    void fileWithIdIsOptionalByDefault() throws Exception {
        TestFiles.psk(dir, "site.ppk", PPK + "\n", "rw-------");
        PpkSettings p = ppk(config("    ppk: { id: pqc-2026, file: site.ppk }"));
        assertThat(p.id()).isEqualTo("pqc-2026");
        assertThat(new String(p.secret().bytes())).isEqualTo(PPK);
        assertThat(p.required()).isFalse();
        assertThat(p.toString()).doesNotContain(PPK);
    }

    @Test
    void requiredTrueIsKept() throws Exception {
        TestFiles.psk(dir, "site.ppk", PPK, "rw-------");
        assertThat(ppk(config("    ppk: { id: q1, file: site.ppk, required: true }")).required()).isTrue();
    }

    @Test
    void openFileIsRefusedAsAPpkFileWithTheFix() throws Exception {
        Path f = TestFiles.psk(dir, "site.ppk", PPK, "rw-r--r--");
        assertThat(errors(config("    ppk: { id: q1, file: site.ppk }"))).singleElement().asString()
                .contains("connections.site.ppk.file: PPK file " + f + " is accessible by group or others")
                .endsWith("run chmod 600 " + f);
    }

    @Test
    void shortPpkIsRefusedWithoutShowingIt() throws Exception {
        TestFiles.psk(dir, "short.ppk", "tiny-ppk", "rw-------");
        assertThat(errors(config("    ppk: { id: q1, file: short.ppk }"))).singleElement().asString()
                .contains("PPK in file " + dir.resolve("short.ppk") + " is 8 bytes long: expected at least 20 bytes")
                .doesNotContain("tiny-ppk");
    }

    @Test
    void missingIdIsReported() throws Exception {
        TestFiles.psk(dir, "site.ppk", PPK, "rw-------");
        assertThat(errors(config("    ppk: { file: site.ppk }"))).singleElement().asString()
                .contains("connections.site.ppk: missing required key 'id'");
    }

    @Test
    void idWithSpacesIsRefused() throws Exception {
        TestFiles.psk(dir, "site.ppk", PPK, "rw-------");
        assertThat(errors(config("    ppk: { id: \"two words\", file: site.ppk }"))).singleElement().asString()
                .contains("connections.site.ppk.id: expected a PPK id of 1 to 128 printable ASCII characters without "
                        + "spaces, found 'two words'");
    }

    @Test
    void missingSecretIsReported() {
        assertThat(errors(config("    ppk: { id: q1 }"))).singleElement().asString()
                .contains("connections.site.ppk: missing required key: expected 'file' or 'env'");
    }

    @Test
    void envWorksLikeForThePsk() {
        PpkSettings p = ppk(config("    ppk: { id: q1, env: TEST_PSK }"));
        assertThat(new String(p.secret().bytes())).isEqualTo(TestFiles.PSK);
        assertThat(p.secret().source()).isEqualTo("env TEST_PSK");
    }

    @Test
    void unknownKeyIsRefused() throws Exception {
        TestFiles.psk(dir, "site.ppk", PPK, "rw-------");
        assertThat(errors(config("    ppk: { id: q1, file: site.ppk, mandatory: true }"))).singleElement().asString()
                .contains("connections.site.ppk").contains("mandatory");
    }

    @Test
    void aPpkChangeRecreatesTheConnectionInsteadOfOnlyItsChildren() throws Exception {
        TestFiles.psk(dir, "a.ppk", PPK, "rw-------");
        TestFiles.psk(dir, "b.ppk", PPK + "-other", "rw-------");
        Config old = TestFiles.valid(config("    ppk: { id: q1, file: a.ppk }"), dir);
        Config sameAgain = TestFiles.valid(config("    ppk: { id: q1, file: a.ppk }"), dir);
        Config neu = TestFiles.valid(config("    ppk: { id: q1, file: b.ppk }"), dir);
        assertThat(ConfigDiff.changedChildren(old.connections().get("site"), sameAgain.connections().get("site")))
                .hasValueSatisfying(names -> assertThat(names).isEmpty());
        assertThat(ConfigDiff.changedChildren(old.connections().get("site"), neu.connections().get("site"))).isEmpty();
    }
}
