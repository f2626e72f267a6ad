package io.ipsecd.testbed;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generated names for everything a lab creates: {@code ipt-<pid>-<token>-<lab>-<role>}.
 *
 * <p>The pid lets the sweep tell whether the creator still runs; the random per-JVM token makes a
 * reused pid harmless (a leftover from an earlier JVM with our pid has a different token), and the
 * lab counter keeps labs of one JVM apart.
 */
public final class Names {
    public static final String PREFIX = "ipt-";
    private static final Pattern OWNED = Pattern.compile("^ipt-(\\d+)-([a-z0-9]{4})-.*");
    private static final long PID = ProcessHandle.current().pid();
    private static final String TOKEN = randomToken();
    private static final AtomicInteger LABS = new AtomicInteger();

    private Names() {}

    /** A fresh lab name owned by this JVM, e.g. {@code ipt-4242-k3f9-1}. */
    public static String newLab() {
        return PREFIX + PID + "-" + TOKEN + "-" + LABS.incrementAndGet();
    }

    /** Where labs keep configs and logs; override with -Dipsecd.testbed.work=DIR. */
    public static Path workRoot() {
        return Path.of(System.getProperty("ipsecd.testbed.work", "/tmp/ipsecd-testbed"));
    }

    /** Whether a generated name belongs to a JVM that is gone (so its objects may be swept). */
    public static boolean isStale(String name) {
        Matcher m = OWNED.matcher(name);
        if (!m.matches()) return false;
        long pid = Long.parseLong(m.group(1));
        if (pid == PID) return !m.group(2).equals(TOKEN);
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.isEmpty() || !h.get().isAlive();
    }

    public static boolean isOurs(String name) {
        return name.startsWith(PREFIX + PID + "-" + TOKEN + "-");
    }

    private static String randomToken() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }
}
