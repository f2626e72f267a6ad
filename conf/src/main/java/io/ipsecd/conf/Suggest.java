package io.ipsecd.conf;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" by Levenshtein distance. */
final class Suggest {
    private Suggest() {}

    /** The closest candidate, if it is close enough to be a plausible typo. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(2, word.length() / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** "expected one of a, b, c" plus " (did you mean 'b'?)" when one is close. */
    static String expectedOneOf(String word, Collection<String> candidates) {
        String hint = closest(word, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
        return "expected one of " + String.join(", ", candidates) + hint;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
