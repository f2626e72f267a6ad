package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```yaml block of docs/config.md (and README.md, when present) loads. Blocks marked
 * ```yaml invalid must fail, and when a ```text block follows, it holds their exact errors.
 */
class DocsExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```yaml( invalid)?\\n(.*?)```(\\s*```text\\n(.*?)```)?", Pattern.DOTALL);
    private static final Pattern PSK_FILE = Pattern.compile("(\\b(?:file|cert|key):\\s*)([^\\s,}\\[]+)");
    private static final Pattern FILE_LIST = Pattern.compile("(\\b(?:cacerts|crls|intermediates):\\s*\\[)([^\\]]*)(\\])");

    @TempDir Path dir;

    record Example(String source, int line, boolean invalid, String yaml, String expectedErrors) {}

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/config.md"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("docs/config.md not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    static List<Example> examples(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        String md = Files.readString(file);
        List<Example> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(md);
        while (m.find()) {
            int line = (int) md.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            out.add(new Example(file.getFileName().toString(), line, m.group(1) != null, m.group(2), m.group(4)));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleBehavesAsDocumented() throws IOException {
        Path root = repoRoot();
        List<Example> all = new ArrayList<>(examples(root.resolve("docs/config.md")));
        all.addAll(examples(root.resolve("README.md")));
        return all.stream().map(e -> DynamicTest.dynamicTest(e.source() + " line " + e.line(), () -> check(e)));
    }

    @Test
    void theDocsHaveExamplesOfBothKinds() throws IOException {
        List<Example> docs = examples(repoRoot().resolve("docs/config.md"));
        assertThat(docs).filteredOn(e -> !e.invalid()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(docs).filteredOn(Example::invalid).isNotEmpty();
    }

    private void check(Example e) throws IOException {
        Path base = Files.createTempDirectory(dir, "ex");
        String yaml = withPskFiles(e.yaml(), base);
        LoadResult r = ConfigLoader.parse(yaml, "ipsecd.yaml", base, name -> TestFiles.PSK);
        if (!e.invalid()) {
            if (r instanceof LoadResult.Invalid(var errors)) {
                throw new AssertionError(e.source() + " line " + e.line() + " should be valid:\n"
                        + String.join("\n", errors.stream().map(Object::toString).toList()));
            }
            return;
        }
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        if (e.expectedErrors() != null) {
            List<String> actual = ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
            assertThat(actual).containsExactlyElementsOf(e.expectedErrors().lines().toList());
        }
    }

    /** Creates each referenced PSK, certificate or key file (0600) under {@code base}, pointing absolute paths there too. */
    private static String withPskFiles(String yaml, Path base) throws IOException {
        Matcher lists = FILE_LIST.matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (lists.find()) {
            List<String> items = new ArrayList<>();
            for (String item : lists.group(2).split(",")) {
                if (!item.isBlank()) items.add(placed(item.strip(), base));
            }
            lists.appendReplacement(out, Matcher.quoteReplacement(lists.group(1) + String.join(", ", items) + lists.group(3)));
        }
        lists.appendTail(out);
        yaml = out.toString();
        Matcher m = PSK_FILE.matcher(yaml);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + placed(m.group(2), base)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Creates the file (0600) under {@code base}; returns the name to write in the YAML. */
    private static String placed(String path, Path base) throws IOException {
        Path target = base.resolve(path.startsWith("/") ? path.substring(1) : path);
        TestFiles.psk(target.getParent(), target.getFileName().toString(), TestFiles.PSK, "rw-------");
        return path.startsWith("/") ? target.toString() : path;
    }
}
