package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Encryption;
import io.ipsecd.conf.Esn;
import io.ipsecd.conf.Integrity;
import io.ipsecd.conf.KeyExchange;
import io.ipsecd.conf.Prf;
import io.ipsecd.ike.crypto.CipherSuite;
import io.ipsecd.ike.exchange.Suites.EspSuite;
import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.ProtocolId;
import io.ipsecd.ike.message.Transform;
import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import io.ipsecd.ike.transform.PrfAlgorithm;
import io.ipsecd.ike.transform.TransformType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Configured proposals (strongSwan keywords, {@code conf}) to SA payload proposals and back,
 * selection, and the strongSwan-style text an admin compares.
 */
final class Proposals {
    private Proposals() {
    }

    /** The SA payload proposals for our configured IKE proposals, numbered from 1. */
    static List<Proposal> ike(List<io.ipsecd.conf.Proposal> configured) {
        List<Proposal> out = new ArrayList<>();
        for (io.ipsecd.conf.Proposal p : configured) {
            out.add(new Proposal(out.size() + 1, ProtocolId.IKE.value(), Bytes.EMPTY, transforms(p, true, true)));
        }
        return out;
    }

    /**
     * ESP proposals with our inbound SPI. {@code withKe}: include the key exchange methods (PFS in
     * CREATE_CHILD_SA); IKE_AUTH never carries them (RFC 7296 §1.2).
     */
    static List<Proposal> esp(List<io.ipsecd.conf.Proposal> configured, int spi, boolean withKe) {
        List<Proposal> out = new ArrayList<>();
        for (io.ipsecd.conf.Proposal p : configured) {
            out.add(new Proposal(out.size() + 1, ProtocolId.ESP.value(), spiBytes(spi), transforms(p, false, withKe)));
        }
        return out;
    }

    /** An ESP SPI as strongSwan and our logs print it. */
    static String spiText(int spi) {
        return String.format("%08x", spi);
    }

    static Bytes spiBytes(int spi) {
        return Bytes.of(java.nio.ByteBuffer.allocate(4).putInt(spi).array());
    }

    private static List<Transform> transforms(io.ipsecd.conf.Proposal p, boolean ike, boolean withKe) {
        List<Transform> t = new ArrayList<>();
        for (Encryption e : p.encryption()) {
            EncryptionAlgorithm a = EncryptionAlgorithm.fromId(e.transformId()).orElseThrow();
            t.add(a.usesKeyLengthAttribute() ? Transform.of(a, e.keyBits()) : Transform.of(a));
        }
        if (ike) {
            p.prf().forEach(x -> t.add(Transform.of(PrfAlgorithm.fromId(x.transformId()).orElseThrow())));
        }
        p.integrity().forEach(x -> t.add(Transform.of(IntegrityAlgorithm.fromId(x.transformId()).orElseThrow())));
        if (withKe) {
            p.keyExchange().forEach(x -> t.add(Transform.of(KeyExchangeMethod.fromId(x.transformId()).orElseThrow())));
            for (int n = 0; n < p.additionalKeyExchanges().size(); n++) {
                int type = TransformType.ADDKE1.value() + n;
                p.additionalKeyExchanges().get(n).forEach(x -> t.add(new Transform(type, x.transformId(), List.of())));
            }
        }
        if (!ike) {
            List<Esn> esn = p.esn().isEmpty() ? List.of(Esn.NO_ESN) : p.esn();
            esn.forEach(x -> t.add(new Transform(TransformType.ESN.value(), x.transformId(), List.of())));
        }
        return t;
    }

    /** A proposal without its key exchange transforms, additional ones too (a peer's ESP proposal in IKE_AUTH). */
    static Proposal withoutKe(Proposal p) {
        return new Proposal(p.number(), p.protocolId(), p.spi(), p.transforms().stream()
                .filter(t -> t.type() != TransformType.KE.value() && !isAdditionalKe(t.type())).toList());
    }

    /** Transform types 6..12, Additional Key Exchange 1..7 (RFC 9370 §2.2.1). */
    static boolean isAdditionalKe(int type) {
        return type >= TransformType.ADDKE1.value() && type <= TransformType.ADDKE7.value();
    }

    /**
     * The responder's choice (RFC 7296 §2.7): the first of OUR proposals, in our configured order,
     * that one of theirs matches; within it, our preferred algorithm of each type. The result
     * carries their proposal number and SPI.
     */
    static Optional<Proposal> select(List<Proposal> ours, List<Proposal> theirs) {
        for (Proposal mine : ours) {
            for (Proposal peer : theirs) {
                Optional<List<Transform>> chosen = match(mine, peer);
                if (chosen.isPresent()) {
                    return Optional.of(new Proposal(peer.number(), peer.protocolId(), peer.spi(), chosen.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Same transform types on both sides, and for each type an algorithm both accept. An
     * additional key exchange type one side leaves out counts as NONE (RFC 9370 §2.2.1): it
     * matches a peer that lists NONE for it, and the NONE stays out of the answer.
     */
    private static Optional<List<Transform>> match(Proposal mine, Proposal peer) {
        if (mine.protocolId() != peer.protocolId() || !required(mine).equals(required(peer))) {
            return Optional.empty();
        }
        Set<Integer> all = types(mine);
        all.addAll(types(peer));
        List<Transform> chosen = new ArrayList<>();
        for (int type : all) {
            List<Transform> acceptable = offeredOrNone(mine, type);
            List<Transform> theirs = offeredOrNone(peer, type);
            Optional<Transform> pick = acceptable.stream().filter(t -> theirs.stream().anyMatch(o -> same(t, o)))
                    .findFirst();
            if (pick.isEmpty()) {
                return Optional.empty();
            }
            if (mine.transforms().contains(pick.get())) {
                chosen.add(pick.get());
            }
        }
        return Optional.of(chosen);
    }

    /** The transform types that cannot be left out (all but the additional key exchanges). */
    private static Set<Integer> required(Proposal p) {
        Set<Integer> types = types(p);
        types.removeIf(Proposals::isAdditionalKe);
        return types;
    }

    private static List<Transform> offeredOrNone(Proposal p, int type) {
        List<Transform> offered = p.transforms().stream().filter(t -> t.type() == type).toList();
        return offered.isEmpty() && isAdditionalKe(type) ? List.of(new Transform(type, 0, List.of())) : offered;
    }

    private static Set<Integer> types(Proposal p) {
        return p.transforms().stream().map(Transform::type).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean same(Transform a, Transform b) {
        return a.type() == b.type() && a.id() == b.id() && a.keyLength().equals(b.keyLength());
    }

    /** Whether a responder's one-proposal answer is something we offered (one algorithm per type). */
    static boolean isAnswerTo(Proposal answer, List<Proposal> offered) {
        if (answer.transforms().size() != types(answer).size()) {
            return false;
        }
        return offered.stream().anyMatch(o -> match(answer, o).map(c -> c.size() == answer.transforms().size())
                .orElse(false));
    }

    static IkeSuite ikeSuite(Proposal p) {
        return new IkeSuite(cipher(p), PrfAlgorithm.fromId(single(p, TransformType.PRF)).orElseThrow(),
                KeyExchangeMethod.fromId(single(p, TransformType.KE)).orElseThrow(), additionalKeyExchanges(p));
    }

    /**
     * The chosen additional key exchanges in the order they run (ADDKE1 first, RFC 9370 §2.2.2),
     * NONE left out. Call on a selected proposal (one transform per type).
     */
    static List<KeyExchangeMethod> additionalKeyExchanges(Proposal p) {
        List<KeyExchangeMethod> out = new ArrayList<>();
        for (int type = TransformType.ADDKE1.value(); type <= TransformType.ADDKE7.value(); type++) {
            int t = type;
            p.transforms().stream().filter(x -> x.type() == t && x.id() != 0).findFirst()
                    .ifPresent(x -> out.add(KeyExchangeMethod.fromId(x.id()).orElseThrow()));
        }
        return out;
    }

    static EspSuite espSuite(Proposal p) {
        List<Transform> ke = p.transformsOf(TransformType.KE);
        List<Transform> esn = p.transformsOf(TransformType.ESN);
        return new EspSuite(cipher(p), !esn.isEmpty() && esn.getFirst().id() == 1,
                ke.isEmpty() ? KeyExchangeMethod.NONE : KeyExchangeMethod.fromId(ke.getFirst().id()).orElseThrow(),
                ke.isEmpty() ? List.of() : additionalKeyExchanges(p));
    }

    private static CipherSuite cipher(Proposal p) {
        Transform e = p.transformsOf(TransformType.ENCR).getFirst();
        EncryptionAlgorithm encryption = EncryptionAlgorithm.fromId(e.id()).orElseThrow();
        int bits = e.keyLength().orElseGet(encryption::fixedKeyBits);
        List<Transform> integ = p.transformsOf(TransformType.INTEG);
        IntegrityAlgorithm integrity = integ.isEmpty() ? IntegrityAlgorithm.NONE
                : IntegrityAlgorithm.fromId(integ.getFirst().id()).orElseThrow();
        return new CipherSuite(encryption, bits, integrity);
    }

    private static int single(Proposal p, TransformType type) {
        return p.transformsOf(type).getFirst().id();
    }

    /** The key exchange methods a list of proposals allows, in order. */
    static List<KeyExchangeMethod> keyExchanges(List<io.ipsecd.conf.Proposal> configured) {
        return configured.stream().flatMap(p -> p.keyExchange().stream())
                .map(k -> KeyExchangeMethod.fromId(k.transformId()).orElseThrow()).distinct().toList();
    }

    /** "[aes256gcm16-prfsha384-x25519, aes256-sha256-prfsha256-modp2048]". */
    static String describe(List<Proposal> proposals) {
        return proposals.stream().map(Proposals::describe).collect(Collectors.joining(", ", "[", "]"));
    }

    static String describeConfigured(List<io.ipsecd.conf.Proposal> proposals) {
        return proposals.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One proposal in strongSwan's keyword form; algorithms we do not know show by type and number. */
    static String describe(Proposal p) {
        List<String> words = new ArrayList<>();
        for (TransformType type : List.of(TransformType.ENCR, TransformType.INTEG, TransformType.PRF, TransformType.KE)) {
            for (Transform t : p.transformsOf(type)) {
                words.add(keyword(type, t.id(), t.keyLength()));
            }
        }
        for (int type = TransformType.ADDKE1.value(); type <= TransformType.ADDKE7.value(); type++) {
            String prefix = "ke" + (type - TransformType.ADDKE1.value() + 1) + "_";
            for (Transform t : p.transforms()) {
                if (t.type() == type) {
                    words.add(prefix + (t.id() == 0 ? "none" : keyword(TransformType.KE, t.id(), t.keyLength())));
                }
            }
        }
        List<Transform> esn = p.transformsOf(TransformType.ESN);
        if (!(esn.size() == 1 && esn.getFirst().id() == 0)) {
            esn.forEach(t -> words.add(t.id() == 1 ? "esn" : t.id() == 0 ? "noesn" : "esn" + t.id()));
        }
        p.transforms().stream().filter(t -> t.transformType().isEmpty() || t.type() > TransformType.ADDKE7.value())
                .forEach(t -> words.add("type" + t.type() + "_" + t.id()));
        return String.join("-", words);
    }

    private static String keyword(TransformType type, int id, OptionalInt keyLength) {
        String known = switch (type) {
            case ENCR -> Arrays.stream(Encryption.values())
                    .filter(e -> e.transformId() == id && (keyLength.isEmpty() || e.keyBits() == keyLength.getAsInt()))
                    .map(Encryption::keyword).findFirst().orElse(null);
            case INTEG -> Arrays.stream(Integrity.values()).filter(i -> i.transformId() == id).map(Integrity::keyword)
                    .findFirst().orElse(null);
            case PRF -> Arrays.stream(Prf.values()).filter(x -> x.transformId() == id).map(Prf::keyword).findFirst()
                    .orElse(null);
            case KE -> Arrays.stream(KeyExchange.values()).filter(k -> k.transformId() == id).map(KeyExchange::keyword)
                    .findFirst().orElse(null);
            default -> null;
        };
        if (known != null) {
            return known;
        }
        String name = switch (type) {
            case ENCR -> EncryptionAlgorithm.fromId(id).map(Enum::name).orElse("ENCR_" + id);
            case INTEG -> IntegrityAlgorithm.fromId(id).map(Enum::name).orElse("INTEG_" + id);
            case PRF -> PrfAlgorithm.fromId(id).map(Enum::name).orElse("PRF_" + id);
            case KE -> KeyExchangeMethod.fromId(id).map(Enum::name).orElse("KE_" + id);
            default -> type + "_" + id;
        };
        return name.toLowerCase(java.util.Locale.ROOT) + (keyLength.isPresent() ? "_" + keyLength.getAsInt() : "");
    }
}
