package io.ipsecd.conf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Parses strongSwan proposal strings and checks that the combination makes sense. */
final class ProposalParser {
    enum Kind { IKE, ESP }

    private static final Pattern ADDITIONAL = Pattern.compile("ke([1-7])_(.*)");
    private static final int MAX_ADDITIONAL = 7;

    private ProposalParser() {}

    /** Every keyword accepted in a proposal of that kind, canonical names only, in doc order. */
    static List<String> keywords(Kind kind) {
        Stream<String> common = Stream.of(
                Arrays.stream(Encryption.values()).map(Encryption::keyword),
                Arrays.stream(Integrity.values()).map(Integrity::keyword),
                kind == Kind.IKE ? Arrays.stream(Prf.values()).map(Prf::keyword) : Stream.<String>empty(),
                Arrays.stream(KeyExchange.values()).filter(k -> !k.additionalOnly()).map(KeyExchange::keyword),
                kind == Kind.ESP ? Arrays.stream(Esn.values()).map(Esn::keyword) : Stream.<String>empty()
        ).flatMap(s -> s);
        return common.toList();
    }

    private static List<String> allKeywords() {
        List<String> all = new ArrayList<>(keywords(Kind.IKE));
        Arrays.stream(Esn.values()).map(Esn::keyword).forEach(all::add);
        Arrays.stream(KeyExchange.values()).filter(KeyExchange::additionalOnly)
                .forEach(k -> all.add("ke1_" + k.keyword()));
        return all;
    }

    static Outcome<Proposal> parse(String text, Kind kind) {
        if (text.isBlank()) return Outcome.err("empty proposal: expected keywords such as aes256gcm16-prfsha384-ecp384");
        Set<Encryption> enc = new LinkedHashSet<>();
        Set<Integrity> integ = new LinkedHashSet<>();
        Set<Prf> prf = new LinkedHashSet<>();
        Set<KeyExchange> ke = new LinkedHashSet<>();
        List<Set<KeyExchange>> additional = new ArrayList<>();
        for (int i = 0; i < MAX_ADDITIONAL; i++) additional.add(new LinkedHashSet<>());
        Set<Esn> esn = new LinkedHashSet<>();

        for (String raw : text.split("-", -1)) {
            String word = raw.strip().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) return Outcome.err("empty keyword in proposal '" + text + "' (two dashes in a row?)");
            Matcher m = ADDITIONAL.matcher(word);
            if (m.matches()) {
                Optional<KeyExchange> k = KeyExchange.byKeyword(m.group(2));
                if (k.isEmpty()) return Outcome.err(unknown(m.group(2), keyExchangeWords()));
                additional.get(Integer.parseInt(m.group(1)) - 1).add(k.get());
                continue;
            }
            Optional<Encryption> e = Encryption.byKeyword(word);
            Optional<Integrity> in = Integrity.byKeyword(word);
            Optional<Prf> p = Prf.byKeyword(word);
            Optional<KeyExchange> k = KeyExchange.byKeyword(word);
            Optional<Esn> s = Esn.byKeyword(word);
            if (e.isPresent()) enc.add(e.get());
            else if (in.isPresent()) integ.add(in.get());
            else if (p.isPresent()) prf.add(p.get());
            else if (k.isPresent()) ke.add(k.get());
            else if (s.isPresent()) esn.add(s.get());
            else return Outcome.err(unknown(word, allKeywords()));
        }
        Optional<String> problem = check(text, kind, enc, integ, prf, ke, additional, esn);
        if (problem.isPresent()) return Outcome.err(problem.get());

        List<Prf> prfs = new ArrayList<>(prf);
        if (kind == Kind.IKE && prfs.isEmpty()) {
            integ.stream().map(Integrity::matchingPrf).distinct().forEach(prfs::add);
        }
        List<Esn> esns = esn.isEmpty() && kind == Kind.ESP ? List.of(Esn.NO_ESN) : List.copyOf(esn);
        int used = 0;
        for (int i = 0; i < MAX_ADDITIONAL; i++) if (!additional.get(i).isEmpty()) used = i + 1;
        List<List<KeyExchange>> extra = additional.subList(0, used).stream().map(List::copyOf).toList();
        return Outcome.ok(new Proposal(List.copyOf(enc), List.copyOf(integ), prfs, List.copyOf(ke), extra, esns));
    }

    private static Optional<String> check(String text, Kind kind, Set<Encryption> enc, Set<Integrity> integ,
                                          Set<Prf> prf, Set<KeyExchange> ke, List<Set<KeyExchange>> additional,
                                          Set<Esn> esn) {
        if (enc.isEmpty()) {
            return Optional.of("proposal '" + text + "' has no encryption algorithm: expected one of "
                    + String.join(", ", Arrays.stream(Encryption.values()).map(Encryption::keyword).toList()));
        }
        long aeads = enc.stream().filter(Encryption::aead).count();
        if (aeads != 0 && aeads != enc.size()) {
            return Optional.of("proposal '" + text + "' mixes AEAD and non-AEAD encryption: write them as two proposals");
        }
        boolean aead = aeads != 0;
        if (aead && !integ.isEmpty()) {
            return Optional.of("AEAD algorithm " + enc.iterator().next().keyword()
                    + " must not be combined with an integrity algorithm, found " + integ.iterator().next().keyword());
        }
        if (!aead && integ.isEmpty()) {
            return Optional.of("encryption " + enc.iterator().next().keyword()
                    + " is not AEAD and needs an integrity algorithm: expected one of sha1, sha256, sha384, sha512");
        }
        if (kind == Kind.IKE && !esn.isEmpty()) {
            return Optional.of("'" + esn.iterator().next().keyword() + "' applies to ESP proposals only, not to IKE proposals");
        }
        if (kind == Kind.ESP && !prf.isEmpty()) {
            return Optional.of("'" + prf.iterator().next().keyword() + "' is a PRF, which applies to IKE proposals only");
        }
        if (kind == Kind.IKE && aead && prf.isEmpty()) {
            return Optional.of("AEAD IKE proposal '" + text + "' needs a PRF: expected one of prfsha256, prfsha384, prfsha512, prfsha1");
        }
        for (KeyExchange k : ke) {
            if (k.additionalOnly()) {
                return Optional.of(k.keyword() + " can only be an additional key exchange: write ke1_" + k.keyword());
            }
        }
        if (kind == Kind.IKE && ke.isEmpty()) {
            return Optional.of("IKE proposal '" + text + "' needs a key exchange group: expected one of "
                    + String.join(", ", keyExchangeWords().stream().filter(w -> !w.startsWith("mlkem")).toList()));
        }
        boolean seenGap = false;
        for (int i = 0; i < additional.size(); i++) {
            if (additional.get(i).isEmpty()) {
                seenGap = true;
            } else {
                if (ke.isEmpty()) {
                    return Optional.of("additional key exchange ke" + (i + 1) + "_ needs a key exchange group first, e.g. ecp384-ke"
                            + (i + 1) + "_" + additional.get(i).iterator().next().keyword());
                }
                if (seenGap) return Optional.of("ke" + (i + 1) + "_ is used but ke" + i + "_ is not: number additional key exchanges from ke1_ on");
            }
        }
        return Optional.empty();
    }

    private static List<String> keyExchangeWords() {
        return Arrays.stream(KeyExchange.values()).map(KeyExchange::keyword).toList();
    }

    private static String unknown(String word, List<String> candidates) {
        return "unknown algorithm '" + word + "': " + Suggest.expectedOneOf(word, candidates);
    }
}
