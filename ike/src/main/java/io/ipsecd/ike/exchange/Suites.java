package io.ipsecd.ike.exchange;

import io.ipsecd.conf.KeyExchange;
import io.ipsecd.esp.EspEncryption;
import io.ipsecd.esp.EspIntegrity;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.ike.crypto.CipherSuite;
import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Negotiated algorithm sets, named the way strongSwan's {@code --list-sas} names them. */
final class Suites {
    private Suites() {
    }

    /**
     * What an IKE SA runs with; {@code additionalKeyExchanges} are the RFC 9370 ones in the order
     * they run (ADDKE1 first), empty without them.
     */
    record IkeSuite(CipherSuite cipher, PrfAlgorithm prf, KeyExchangeMethod keyExchange,
                    List<KeyExchangeMethod> additionalKeyExchanges) {
        IkeSuite {
            additionalKeyExchanges = List.copyOf(additionalKeyExchanges);
        }

        IkeSuite(CipherSuite cipher, PrfAlgorithm prf, KeyExchangeMethod keyExchange) {
            this(cipher, prf, keyExchange, List.of());
        }

        /** "AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768", as strongSwan logs it. */
        String describe() {
            List<String> words = new ArrayList<>(Stream.of(encryptionName(cipher), integrityName(cipher.integrity()),
                    prfName(prf), keName(keyExchange)).filter(s -> !s.isEmpty()).toList());
            words.addAll(additionalNames(additionalKeyExchanges));
            return String.join("/", words);
        }

        /** "CURVE_25519/KE1_ML_KEM_768": the key exchanges as strongSwan's list-sas names them. */
        String keyExchangeNames() {
            List<String> words = new ArrayList<>(List.of(keName(keyExchange)));
            words.addAll(additionalNames(additionalKeyExchanges));
            return String.join("/", words);
        }
    }

    /** "KE1_ML_KEM_768", "KE2_ECP_384": strongSwan's names of additional key exchanges. */
    static List<String> additionalNames(List<KeyExchangeMethod> additional) {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < additional.size(); n++) {
            out.add("KE" + (n + 1) + "_" + keName(additional.get(n)));
        }
        return out;
    }

    /**
     * What a Child SA runs with; {@code keyExchange} is NONE without PFS, {@code additionalKeyExchanges}
     * the RFC 9370 ones of its CREATE_CHILD_SA in the order they ran (empty without them).
     */
    record EspSuite(CipherSuite cipher, boolean esn, KeyExchangeMethod keyExchange,
                    List<KeyExchangeMethod> additionalKeyExchanges) {
        EspSuite {
            additionalKeyExchanges = List.copyOf(additionalKeyExchanges);
        }

        EspSuite(CipherSuite cipher, boolean esn, KeyExchangeMethod keyExchange) {
            this(cipher, esn, keyExchange, List.of());
        }

        /** "CURVE_25519/KE1_ML_KEM_768", as strongSwan lists a rekeyed child's; "" without PFS. */
        String keyExchangesName() {
            List<String> words = new ArrayList<>();
            if (keyExchange != KeyExchangeMethod.NONE) {
                words.add(keName(keyExchange));
            }
            words.addAll(additionalNames(additionalKeyExchanges));
            return String.join("/", words);
        }

        EspTransform espTransform() {
            EncryptionAlgorithm e = cipher.encryption();
            EspEncryption encryption = null;
            for (EspEncryption candidate : EspEncryption.values()) {
                if (candidate.ikeTransformId() == e.id() && candidate.keySize() * 8 == cipher.keyBits()) {
                    encryption = candidate;
                }
            }
            EspIntegrity integrity = null;
            for (EspIntegrity candidate : EspIntegrity.values()) {
                if (candidate.ikeTransformId() == cipher.integrity().id()) {
                    integrity = candidate;
                }
            }
            if (encryption == null || integrity == null) {
                throw new IllegalStateException("no ESP implementation for " + describe());
            }
            return new EspTransform(encryption, integrity);
        }

        String describe() {
            return String.join("/", Stream.of(encryptionName(cipher), integrityName(cipher.integrity()),
                    keyExchangesName()).filter(s -> !s.isEmpty()).toList());
        }
    }

    static String encryptionName(CipherSuite c) {
        String name = switch (c.encryption()) {
            case AES_CBC -> "AES_CBC";
            case AES_GCM_16 -> "AES_GCM_16";
            case AES_GCM_12 -> "AES_GCM_12";
            case AES_GCM_8 -> "AES_GCM_8";
            case CHACHA20_POLY1305 -> "CHACHA20_POLY1305";
            default -> c.encryption().name();
        };
        return c.encryption() == EncryptionAlgorithm.CHACHA20_POLY1305 ? name : name + "-" + c.keyBits();
    }

    static String integrityName(IntegrityAlgorithm i) {
        return i == IntegrityAlgorithm.NONE ? "" : i.name();
    }

    static String prfName(PrfAlgorithm p) {
        return "PRF_" + p.name().substring("PRF_".length());
    }

    static String keName(KeyExchangeMethod k) {
        return switch (k) {
            case NONE -> "";
            case CURVE25519 -> "CURVE_25519";
            case CURVE448 -> "CURVE_448";
            default -> k.name();
        };
    }
}
