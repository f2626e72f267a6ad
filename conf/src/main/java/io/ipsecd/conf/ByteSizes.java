package io.ipsecd.conf;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts like {@code 500MB}, {@code 100GB}, {@code 102400000KB} or plain bytes. K, M, G and T
 * are powers of 1024 as in strongSwan ({@code KiB} and friends are accepted too).
 */
final class ByteSizes {
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,19})\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {}

    static Outcome<Long> parse(String text) {
        Matcher m = SHAPE.matcher(text.strip());
        String expected = "expected a size like 500MB, 100GB or a number of bytes";
        if (!m.matches()) return Outcome.err(expected + ", found '" + text + "'");
        int shift = m.group(2) == null ? 0 : 10 * ("kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1);
        try {
            long n = Long.parseLong(m.group(1));
            if (n == 0) return Outcome.err("expected a positive size, found '" + text + "'");
            if (n > Long.MAX_VALUE >> shift) return Outcome.err("size '" + text + "' is too large: expected at most 8EB");
            return Outcome.ok(n << shift);
        } catch (NumberFormatException e) {
            return Outcome.err("size '" + text + "' is too large: expected at most 8EB");
        }
    }
}
