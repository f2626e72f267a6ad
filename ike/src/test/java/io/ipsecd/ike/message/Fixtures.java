package io.ipsecd.ike.message;

import java.util.HexFormat;

/** Builds hand-assembled test messages: a fixed IKE header in front of hex-written payloads. */
final class Fixtures {
    static final String SPI_I = "0011223344556677";
    static final String SPI_R = "8899aabbccddeeff";

    private Fixtures() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+|//[^\\n]*", ""));
    }

    /** An IKE_SA_INIT request header (I flag, message ID 0) with the right length, then the payloads. */
    static byte[] request(int firstPayload, String payloadsHex) {
        byte[] payloads = hex(payloadsHex);
        byte[] header = hex(SPI_I + "0000000000000000" + String.format("%02x", firstPayload) + "20 22 08 00000000"
                + String.format("%08x", 28 + payloads.length));
        byte[] out = new byte[28 + payloads.length];
        System.arraycopy(header, 0, out, 0, 28);
        System.arraycopy(payloads, 0, out, 28, payloads.length);
        return out;
    }

    static IkeHeader requestHeader() {
        return new IkeHeader(0x0011223344556677L, 0, ExchangeType.IKE_SA_INIT, true, false, 0);
    }

    static String repeat(String byteHex, int count) {
        return byteHex.repeat(count);
    }
}
