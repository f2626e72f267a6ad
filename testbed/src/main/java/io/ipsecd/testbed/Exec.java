package io.ipsecd.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands with a bounded wait. Output always goes to files, never to pipes, so a
 * chatty child can never block on a full pipe while we wait for it.
 */
public final class Exec {
    private Exec() {}

    public record Result(List<String> command, int exit, String out, String err) {
        public boolean ok() { return exit == 0; }

        /** Throws with the command and both outputs when the exit code is not 0. */
        public Result check() {
            if (exit != 0) {
                throw new IllegalStateException("command failed (exit " + exit + "): " + String.join(" ", command)
                        + (out.isBlank() ? "" : "\nstdout: " + out.strip())
                        + (err.isBlank() ? "" : "\nstderr: " + err.strip()));
            }
            return this;
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command), Map.of());
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, Map.of());
    }

    /** Runs and waits at most {@code timeout}; on timeout the whole process tree is killed. */
    public static Result run(Duration timeout, List<String> command, Map<String, String> env) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ipt-exec", ".out");
            err = Files.createTempFile("ipt-exec", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p.toHandle());
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: "
                        + String.join(" ", command) + "\nstdout: " + tail(out, 2000) + "\nstderr: " + tail(err, 2000));
            }
            return new Result(List.copyOf(command), p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Starts a long-running process whose stdout and stderr are appended to {@code log}. */
    public static Process start(Path log, List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Sends SIGTERM, waits up to {@code grace}, then SIGKILLs the process and all its descendants. */
    public static void stop(Process p, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p.toHandle());
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(p.toHandle());
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    static void killTree(ProcessHandle h) {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
    }

    /** The last {@code max} characters of a text file, or a note when it cannot be read. */
    public static String tail(Path file, int max) {
        try {
            if (file == null || !Files.exists(file)) return "(no file " + file + ")";
            byte[] all = Files.readAllBytes(file);
            int from = Math.max(0, all.length - max);
            return (from > 0 ? "..." : "") + new String(all, from, all.length - from);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file we could not delete is not worth failing a test over
        }
    }

    /** Sleeps without throwing; restores the interrupt flag so bounded loops stop promptly. */
    static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
