package io.ipsecd.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes what earlier, killed runs left behind: namespaces (with their processes, veths and TUN
 * devices) and work directories whose creating JVM is dead. Objects of live JVMs, including other
 * engineers' parallel runs, are never touched.
 */
public final class Sweep {
    private static volatile boolean done;

    private Sweep() {}

    /** Sweeps once per JVM; labs call this before they create anything. */
    public static synchronized void once() {
        if (done) return;
        run();
        done = true;
    }

    /** Sweeps now and returns the names removed. */
    public static synchronized List<String> run() {
        List<String> removed = new ArrayList<>();
        for (String ns : Netns.list()) {
            if (Names.isStale(ns)) {
                Netns.destroy(ns);
                removed.add(ns);
            }
        }
        Path root = Names.workRoot();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.toList()) {
                    if (Names.isStale(dir.getFileName().toString())) {
                        deleteTree(dir);
                        removed.add(dir.toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return removed;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
