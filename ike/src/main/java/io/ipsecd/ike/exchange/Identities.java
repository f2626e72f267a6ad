package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Identity;
import io.ipsecd.ike.auth.DistinguishedNames;
import io.ipsecd.ike.crypto.Prf;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.IdPayload;
import io.ipsecd.ike.message.IdType;
import io.ipsecd.ike.message.PayloadCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;

/** IDi/IDr payloads, the PSK AUTH value (RFC 7296 §2.15) and NAT detection hashes (§2.23). */
final class Identities {
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private Identities() {
    }

    static IdPayload payload(boolean initiator, Identity id) {
        byte[] data = switch (id.kind()) {
            case IPV4_ADDR, IPV6_ADDR -> InetAddress.ofLiteral(id.value()).getAddress();
            case FQDN, RFC822_ADDR -> id.value().getBytes(StandardCharsets.US_ASCII);
            case KEY_ID -> HexFormat.of().parseHex(id.value());
            case DER_ASN1_DN -> DistinguishedNames.encode(id.value());
        };
        return new IdPayload(initiator, id.kind().ikeType(), Bytes.of(data));
    }

    /** Whether the peer's ID payload names the configured identity (type and value; a DN in either RDN order). */
    static boolean matches(IdPayload received, Identity configured) {
        if (configured.kind() == io.ipsecd.conf.IdKind.DER_ASN1_DN) {
            if (received.type().orElse(null) != IdType.DER_ASN1_DN) return false;
            try {
                return DistinguishedNames.matches(configured.value(), new X500Principal(received.data().toArray()));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        IdPayload expected = payload(received.initiator(), configured);
        return received.idType() == expected.idType() && received.data().equals(expected.data());
    }

    /** The identity as the peer sent it, for messages: "cloud", "192.0.2.2", "keyid:0a1b". */
    static String text(IdPayload id) {
        byte[] data = id.data().toArray();
        return switch (id.type().orElse(IdType.KEY_ID)) {
            case IPV4_ADDR, IPV6_ADDR -> {
                try {
                    yield Selectors.text(InetAddress.getByAddress(data));
                } catch (java.net.UnknownHostException e) {
                    yield id.data().toHex();
                }
            }
            case FQDN, RFC822_ADDR -> new String(data, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", "?");
            case DER_ASN1_DN -> DistinguishedNames.text(data).orElse("DN " + id.data().toHex());
            default -> "keyid:" + id.data().toHex();
        };
    }

    /**
     * The signed octets of RFC 7296 §2.15: RealMessage | Nonce | prf(SK_p, RestOfIDPayload), where
     * RealMessage is the signer's IKE_SA_INIT message and Nonce the other side's nonce.
     */
    static byte[] signedOctets(Prf prf, byte[] realMessage, byte[] peerNonce, byte[] skP, IdPayload id) {
        byte[] macedId = prf.apply(skP, PayloadCodec.encodeBody(id));
        try {
            return ByteBuffer.allocate(realMessage.length + peerNonce.length + macedId.length)
                    .put(realMessage).put(peerNonce).put(macedId).array();
        } finally {
            Arrays.fill(macedId, (byte) 0);
        }
    }

    /** AUTH = prf(prf(PSK, "Key Pad for IKEv2"), signed octets). */
    static byte[] pskAuth(Prf prf, byte[] psk, byte[] signedOctets) {
        byte[] padded = prf.apply(psk, KEY_PAD);
        try {
            return prf.apply(padded, signedOctets);
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    /** SHA-1(SPIi | SPIr | IP | port): NAT_DETECTION_SOURCE_IP / _DESTINATION_IP data. */
    static Bytes natHash(long spiI, long spiR, InetSocketAddress endpoint) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array());
            sha1.update(endpoint.getAddress().getAddress());
            sha1.update(new byte[] {(byte) (endpoint.getPort() >>> 8), (byte) endpoint.getPort()});
            return Bytes.of(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
        }
    }
}
