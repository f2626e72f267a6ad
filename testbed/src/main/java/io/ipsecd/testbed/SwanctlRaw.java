package io.ipsecd.testbed;

import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code swanctl --list-sas --raw}: one VICI message per line, such as
 * {@code list-sa event {s2s {uniqueid=1 state=ESTABLISHED ... child-sas {net-1 {...}}}}}.
 * Sections become maps, lists ({@code [a b]}) become string lists, {@code key=value} strings.
 */
public final class SwanctlRaw {
    private SwanctlRaw() {}

    public static List<IkeSa> parseListSas(String output) {
        List<IkeSa> sas = new ArrayList<>();
        for (String line : output.lines().toList()) {
            int brace = line.indexOf('{');
            if (!line.startsWith("list-sa event") || brace < 0) continue;
            Map<String, Object> event = parse(line.substring(brace));
            event.forEach((name, body) -> {
                if (body instanceof Map<?, ?> ike) sas.add(ikeSa(name, cast(ike)));
            });
        }
        return sas;
    }

    private static IkeSa ikeSa(String name, Map<String, Object> m) {
        List<ChildSa> children = new ArrayList<>();
        if (m.get("child-sas") instanceof Map<?, ?> cs) {
            cast(cs).values().forEach(c -> {
                if (c instanceof Map<?, ?> child) children.add(childSa(cast(child)));
            });
        }
        String algs = join(s(m, "encr-alg") + keySize(m), s(m, "integ-alg"), s(m, "prf-alg"), s(m, "dh-group"));
        for (int i = 1; i <= 7; i++) {
            String ke = s(m, "ake" + i); // 6.x: additional key exchanges (RFC 9370)
            if (!ke.isEmpty()) algs += "/KE" + i + "_" + ke;
        }
        return new IkeSa(name, s(m, "state"), s(m, "initiator-spi"), s(m, "responder-spi"), s(m, "local-host"),
                s(m, "remote-host"), s(m, "local-id"), s(m, "remote-id"), algs,
                "yes".equals(s(m, "nat-any")) || "yes".equals(s(m, "nat-remote")) || "yes".equals(s(m, "nat-local")),
                children);
    }

    private static ChildSa childSa(Map<String, Object> m) {
        String algs = join(s(m, "encr-alg") + keySize(m), s(m, "integ-alg"), s(m, "dh-group"));
        for (int i = 1; i <= 7; i++) {
            String ke = s(m, "ake" + i); // 6.x: additional key exchanges of a PFS rekey (RFC 9370)
            if (!ke.isEmpty()) algs += "/KE" + i + "_" + ke;
        }
        return new ChildSa(s(m, "name"), s(m, "state"), s(m, "mode"), "yes".equals(s(m, "encap")), s(m, "spi-in"),
                s(m, "spi-out"), algs, n(m, "bytes-in"), n(m, "bytes-out"), n(m, "packets-in"), n(m, "packets-out"),
                list(m, "local-ts"), list(m, "remote-ts"));
    }

    /** Parses one braced VICI section into nested maps. */
    static Map<String, Object> parse(String text) {
        List<String> tokens = tokenize(text);
        int[] pos = {0};
        expect(tokens, pos, "{");
        return section(tokens, pos);
    }

    private static Map<String, Object> section(List<String> t, int[] pos) {
        Map<String, Object> m = new LinkedHashMap<>();
        while (pos[0] < t.size()) {
            String tok = t.get(pos[0]++);
            if (tok.equals("}")) return m;
            int eq = tok.indexOf('=');
            if (eq == tok.length() - 1 && pos[0] < t.size() && t.get(pos[0]).equals("[")) {
                pos[0]++; // "local-ts=[a b]": a list
                List<String> values = new ArrayList<>();
                while (pos[0] < t.size() && !t.get(pos[0]).equals("]")) values.add(t.get(pos[0]++));
                pos[0]++;
                m.put(tok.substring(0, eq), values);
            } else if (eq > 0) {
                m.put(tok.substring(0, eq), tok.substring(eq + 1));
            } else if (pos[0] < t.size() && t.get(pos[0]).equals("{")) {
                pos[0]++;
                m.put(tok, section(t, pos));
            } else if (pos[0] < t.size() && t.get(pos[0]).equals("[")) {
                pos[0]++;
                List<String> values = new ArrayList<>();
                while (pos[0] < t.size() && !t.get(pos[0]).equals("]")) values.add(t.get(pos[0]++));
                pos[0]++;
                m.put(tok, values);
            }
        }
        return m;
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int inner = 0; // brackets inside a value, as in the selector "10.1.0.0/16[udp/5000]"
        for (char c : text.toCharArray()) {
            if (c == '[' && !cur.isEmpty() && cur.charAt(cur.length() - 1) != '=') {
                inner++;
                cur.append(c);
            } else if (c == ']' && inner > 0) {
                inner--;
                cur.append(c);
            } else if (Character.isWhitespace(c) || c == '{' || c == '}' || c == '[' || c == ']') {
                if (!cur.isEmpty()) tokens.add(cur.toString());
                cur.setLength(0);
                if (!Character.isWhitespace(c)) tokens.add(String.valueOf(c));
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) tokens.add(cur.toString());
        return tokens;
    }

    private static void expect(List<String> t, int[] pos, String what) {
        if (pos[0] >= t.size() || !t.get(pos[0]).equals(what)) throw new IllegalArgumentException("expected " + what);
        pos[0]++;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) { return (Map<String, Object>) m; }

    private static String s(Map<String, Object> m, String key) {
        return m.get(key) instanceof String v ? v : "";
    }

    private static long n(Map<String, Object> m, String key) {
        String v = s(m, key);
        return v.matches("\\d+") ? Long.parseLong(v) : 0;
    }

    private static List<String> list(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static String keySize(Map<String, Object> m) {
        String k = s(m, "encr-keysize");
        return k.isEmpty() ? "" : "-" + k;
    }

    private static String join(String... parts) {
        return String.join("/", java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).toList());
    }
}
