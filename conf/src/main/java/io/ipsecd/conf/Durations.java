package io.ipsecd.conf;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations like {@code 30s}, {@code 45m}, {@code 8h}, {@code 1d}, {@code 1h30m}, or plain seconds. */
final class Durations {
    private static final Pattern SHAPE = Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?(?:(\\d{1,10})s)?");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");

    private Durations() {}

    static Outcome<Duration> parse(String text) {
        String t = text.strip();
        if (SECONDS.matcher(t).matches()) return Outcome.ok(Duration.ofSeconds(Long.parseLong(t)));
        Matcher m = SHAPE.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            return Outcome.err("expected a duration like 30s, 45m, 8h, 1d, 1h30m or a number of seconds, found '" + text + "'");
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) d = d.plusDays(Long.parseLong(m.group(1)));
        if (m.group(2) != null) d = d.plusHours(Long.parseLong(m.group(2)));
        if (m.group(3) != null) d = d.plusMinutes(Long.parseLong(m.group(3)));
        if (m.group(4) != null) d = d.plusSeconds(Long.parseLong(m.group(4)));
        return Outcome.ok(d);
    }

    /** The shortest form {@link #parse} reads back, e.g. {@code 1h30m}; zero is {@code 0s}. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long[] units = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                sb.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return sb.toString();
    }
}
