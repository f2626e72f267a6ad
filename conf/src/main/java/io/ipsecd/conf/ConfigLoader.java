package io.ipsecd.conf;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates an ipsecd configuration file. Never throws for bad input: YAML syntax
 * errors, IO errors and every validation problem come back as {@link ConfigError}s.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Loads {@code file}; relative PSK paths are resolved against its directory. */
    public static LoadResult load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return ioError(name, "cannot read the file: it is not UTF-8 text");
        } catch (IOException | SecurityException e) {
            return ioError(name, "cannot read the file: " + describe(e));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, name, dir == null ? Path.of("/") : dir);
    }

    /** Parses YAML text; {@code fileNameForMessages} names it in errors, {@code baseDir} resolves relative PSK paths. */
    public static LoadResult parse(String yamlText, String fileNameForMessages, Path baseDir) {
        return parse(yamlText, fileNameForMessages, baseDir, System::getenv);
    }

    /** As {@link #parse(String, String, Path)}, reading {@code psk: { env: NAME }} through {@code environment}. */
    public static LoadResult parse(String yamlText, String fileNameForMessages, Path baseDir,
                                   Function<String, String> environment) {
        Problems problems = new Problems(fileNameForMessages);
        Optional<Node> root = compose(yamlText, problems);
        if (root.isEmpty()) return new LoadResult.Invalid(problems.sorted());
        Config config;
        try {
            config = new ConfigReader(problems, baseDir, environment).read(root.get());
        } catch (RuntimeException e) {
            // A bug, not bad input; still an answer rather than an exception. No message text: it could quote input.
            problems.at(1, 1, "(internal)", "internal error while checking the config: " + e.getClass().getName());
            return new LoadResult.Invalid(problems.sorted());
        }
        return problems.isEmpty() ? new LoadResult.Valid(config) : new LoadResult.Invalid(problems.sorted());
    }

    private static Optional<Node> compose(String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        try {
            Node node = new Yaml(options).compose(new StringReader(text));
            if (node == null) {
                problems.at(1, 1, "(top level)", "expected a mapping with a 'connections' key, found an empty document");
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 1 : mark.getLine() + 1;
            int column = mark == null ? 1 : mark.getColumn() + 1;
            problems.at(line, column, "(yaml)", syntaxMessage(e));
            return Optional.empty();
        } catch (YAMLException e) {
            problems.at(1, 1, "(yaml)", "invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** SnakeYAML's problem text without its snippet of the line, which could hold a secret. */
    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem().strip();
        if (problem.startsWith("found character '%'")) {
            return "invalid YAML: a plain value cannot start with '%': quote it, e.g. \"%any\"";
        }
        if (problem.startsWith("found character '\\t")) return "invalid YAML: tab character: indent with spaces, not tabs";
        if (problem.contains("found another document")) return "invalid YAML: expected a single document, found a second one ('---')";
        String context = e.getContext() == null ? "" : " (" + e.getContext().strip() + ")";
        String hint = problem.endsWith("but got [") || problem.endsWith("but got ]")
                ? ": inside [ ] lists, quote values that contain brackets, e.g. \"10.1.0.0/16[tcp/443]\"" : "";
        return "invalid YAML: " + problem + context + hint;
    }

    private static LoadResult ioError(String name, String message) {
        return new LoadResult.Invalid(java.util.List.of(new ConfigError(name, 1, 1, "(file)", message)));
    }

    private static String describe(Exception e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "no such file";
            case java.nio.file.AccessDeniedException x -> "permission denied";
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        };
    }
}
