package io.ipsecd.ike.exchange;

import io.ipsecd.esp.EspEncryption;
import io.ipsecd.esp.EspIntegrity;
import io.ipsecd.esp.EspTransform;
import io.ipsecd.ike.crypto.CipherSuite;
import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import io.ipsecd.ike.transform.PrfAlgorithm;

/** Negotiated algorithm sets, named the way strongSwan's {@code --list-sas} names them. */
final class Suites {
    private Suites() {
    }

    /** What an IKE SA runs with. */
    record IkeSuite(CipherSuite cipher, PrfAlgorithm prf, KeyExchangeMethod keyExchange) {
        String describe() {
            return String.join("/", java.util.stream.Stream.of(encryptionName(cipher), integrityName(cipher.integrity()),
                    prfName(prf), keName(keyExchange)).filter(s -> !s.isEmpty()).toList());
        }
    }

    /** What a Child SA runs with; {@code keyExchange} is NONE without PFS. */
    record EspSuite(CipherSuite cipher, boolean esn, KeyExchangeMethod keyExchange) {
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
            return String.join("/", java.util.stream.Stream.of(encryptionName(cipher), integrityName(cipher.integrity()),
                    keName(keyExchange)).filter(s -> !s.isEmpty()).toList());
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
