package io.ipsecd.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * One IKE or ESP proposal in strongSwan terms: the algorithms of each transform type that
 * are acceptable together. {@link #toString()} gives the canonical strongSwan string
 * (encryption, integrity, prf, key exchange, ke1_.. ke7_, esn; a lone {@code noesn} is left out).
 * For IKE proposals without AEAD the PRF list is filled from the integrity algorithms.
 */
public record Proposal(List<Encryption> encryption, List<Integrity> integrity, List<Prf> prf,
                       List<KeyExchange> keyExchange, List<List<KeyExchange>> additionalKeyExchanges,
                       List<Esn> esn) {
    public Proposal {
        encryption = List.copyOf(encryption);
        integrity = List.copyOf(integrity);
        prf = List.copyOf(prf);
        keyExchange = List.copyOf(keyExchange);
        additionalKeyExchanges = Immutables.nested(additionalKeyExchanges);
        esn = List.copyOf(esn);
    }

    /** Parses an IKE proposal such as {@code aes256gcm16-prfsha384-ecp384}. */
    public static Proposal parseIke(String text) {
        return ProposalParser.parse(text, ProposalParser.Kind.IKE).orThrow();
    }

    /** Parses an ESP proposal such as {@code aes256gcm16-ecp384} or {@code aes256-sha1-esn}. */
    public static Proposal parseEsp(String text) {
        return ProposalParser.parse(text, ProposalParser.Kind.ESP).orThrow();
    }

    /** Whether the encryption is authenticated (then there is no integrity algorithm). */
    public boolean aead() {
        return !encryption.isEmpty() && encryption.getFirst().aead();
    }

    @Override
    public String toString() {
        List<String> words = new ArrayList<>();
        encryption.forEach(e -> words.add(e.keyword()));
        integrity.forEach(i -> words.add(i.keyword()));
        prf.forEach(p -> words.add(p.keyword()));
        keyExchange.forEach(k -> words.add(k.keyword()));
        for (int n = 0; n < additionalKeyExchanges.size(); n++) {
            String prefix = "ke" + (n + 1) + "_";
            additionalKeyExchanges.get(n).forEach(k -> words.add(prefix + k.keyword()));
        }
        if (!esn.equals(List.of(Esn.NO_ESN))) esn.forEach(e -> words.add(e.keyword()));
        return String.join("-", words);
    }
}
