package io.ipsecd.ike.message;

import static io.ipsecd.ike.message.Fixtures.hex;
import static io.ipsecd.ike.message.Fixtures.repeat;
import static io.ipsecd.ike.message.Fixtures.request;
import static io.ipsecd.ike.message.NotifyType.INVALID_MAJOR_VERSION;
import static io.ipsecd.ike.message.NotifyType.INVALID_SYNTAX;
import static io.ipsecd.ike.message.NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed messages, each pinned to the exact answer (notify type) and message. Offsets in the
 * messages are from the start of the datagram; the first payload starts at 28.
 */
public class MalformedMessageTest {
    private static final String HDR = "0011223344556677 0000000000000000";
    private static final String P1 = "00 00 0008 01 00 0001";              // a last transform: ENCR 1
    private static final String T_MORE = "03 00 0008 01 00 0001";          // a not-last transform

    public static Stream<Arguments> cases() {
        return Stream.of(
                // --- IKE header
                bad("empty datagram", hex(""), INVALID_SYNTAX, "message is 0 bytes, shorter than the 28-byte IKE header"),
                bad("27 bytes", hex(HDR + "00 20 22 08 00000000 000000"), INVALID_SYNTAX,
                        "message is 27 bytes, shorter than the 28-byte IKE header"),
                bad("major version 1", hex(HDR + "00 10 22 08 00000000 0000001c"), INVALID_MAJOR_VERSION,
                        "IKE major version 1 is not supported (only 2)"),
                bad("major version 3", hex(HDR + "00 30 22 08 00000000 0000001c"), INVALID_MAJOR_VERSION,
                        "IKE major version 3 is not supported (only 2)"),
                bad("length field beyond the datagram", hex(HDR + "00 20 22 08 00000000 00000064"), INVALID_SYNTAX,
                        "IKE header says the message is 100 bytes, the datagram has 28"),
                bad("length field short of the datagram", hex(HDR + "00 20 22 08 00000000 0000001c 00000000"),
                        INVALID_SYNTAX, "IKE header says the message is 28 bytes, the datagram has 32"),
                bad("length field 2^32-1", hex(HDR + "00 20 22 08 00000000 ffffffff"), INVALID_SYNTAX,
                        "IKE header says the message is 4294967295 bytes, the datagram has 28"),
                // --- generic payload headers and chains
                bad("first payload announced, nothing follows", request(33, ""), INVALID_SYNTAX,
                        "SA payload header truncated at offset 28: 0 bytes left"),
                bad("half a generic payload header", request(40, "0000"), INVALID_SYNTAX,
                        "NONCE payload header truncated at offset 28: 2 bytes left"),
                bad("zero-length payload", request(40, "00 00 0000"), INVALID_SYNTAX,
                        "NONCE payload at offset 28 has length 0, less than its 4-byte header"),
                bad("payload length 3", request(43, "00 00 0003"), INVALID_SYNTAX,
                        "VENDOR_ID payload at offset 28 has length 3, less than its 4-byte header"),
                bad("payload length past the end of the message", request(43, "00 00 0064 01020304"), INVALID_SYNTAX,
                        "VENDOR_ID payload at offset 28 has length 100 but only 8 bytes remain"),
                bad("broken chain: next payload announced, none there", request(43, "28 00 0008 01020304"),
                        INVALID_SYNTAX, "NONCE payload header truncated at offset 36: 0 bytes left"),
                bad("trailing garbage after the last payload", request(43, "00 00 0008 01020304 deadbeef"),
                        INVALID_SYNTAX, "4 bytes after the last payload at offset 36"),
                bad("header says no payloads, body present", request(0, "00 00 0008 01020304"), INVALID_SYNTAX,
                        "8 bytes after the last payload at offset 28"),
                bad("unknown payload 49 with critical bit", request(49, "00 80 0008 01020304"),
                        UNSUPPORTED_CRITICAL_PAYLOAD, "unknown payload type 49 marked critical at offset 28"),
                bad("reserved payload type 1 with critical bit", request(1, "00 80 0004"),
                        UNSUPPORTED_CRITICAL_PAYLOAD, "unknown payload type 1 marked critical at offset 28"),
                bad("unknown critical payload later in the chain", request(43, "ff 00 0008 01020304 00 ff 0004"),
                        UNSUPPORTED_CRITICAL_PAYLOAD, "unknown payload type 255 marked critical at offset 36"),
                bad("SK payload not last", request(46, "00 00 0005 00 00 00 0008 01020304"), INVALID_SYNTAX,
                        "SK payload at offset 28 is not the last payload: 8 bytes follow"),
                // --- payload bodies
                bad("nonce of 15 bytes", request(40, "00 00 0013" + repeat("00", 15)), INVALID_SYNTAX,
                        "Nonce payload: nonce is 15 bytes, must be 16..256"),
                bad("nonce of 257 bytes", request(40, "00 00 0105" + repeat("00", 257)), INVALID_SYNTAX,
                        "Nonce payload: nonce is 257 bytes, must be 16..256"),
                bad("KE without data", request(34, "00 00 0008 001f 0000"), INVALID_SYNTAX,
                        "KE payload has no key exchange data"),
                bad("KE body of 3 bytes", request(34, "00 00 0007 001f 00"), INVALID_SYNTAX,
                        "KE reserved: needs 2 bytes at offset 34, only 1 left"),
                bad("ID_IPV4_ADDR of 5 bytes", request(35, "00 00 000d 01 000000 0102030405"), INVALID_SYNTAX,
                        "IDi payload: ID_IPV4_ADDR is 5 bytes, must be 4"),
                bad("ID_IPV6_ADDR of 4 bytes", request(36, "00 00 000c 05 000000 01020304"), INVALID_SYNTAX,
                        "IDr payload: ID_IPV6_ADDR is 4 bytes, must be 16"),
                bad("empty FQDN", request(35, "00 00 0008 02 000000"), INVALID_SYNTAX,
                        "IDi payload: identification data is empty"),
                bad("AUTH without data", request(39, "00 00 0008 02 000000"), INVALID_SYNTAX,
                        "AUTH payload has no authentication data"),
                bad("notify SPI size past the payload", request(41, "00 00 000a 01 08 4009 0102"), INVALID_SYNTAX,
                        "Notify SPI: needs 8 bytes at offset 36, only 2 left"),
                bad("notify body of 3 bytes", request(41, "00 00 0007 00 00 40"), INVALID_SYNTAX,
                        "Notify type: needs 2 bytes at offset 34, only 1 left"),
                bad("delete SPI count disagrees with the bytes", request(42, "00 00 000c 03 04 0002 11111111"),
                        INVALID_SYNTAX, "Delete payload declares 2 SPIs of 4 bytes but carries 4 bytes of SPIs"),
                bad("TS with zero selectors", request(44, "00 00 0008 00 000000"), INVALID_SYNTAX,
                        "TSi payload has no traffic selectors"),
                bad("IPv4 selector of length 20", request(44, "00 00 001c 01 000000 07 00 0014 0000ffff"
                        + "0a000000 0a0000ff 00000000"), INVALID_SYNTAX,
                        "IPv4 traffic selector at offset 36 has length 20, must be 16"),
                bad("IPv6 selector of length 16", request(45, "00 00 0018 01 000000 08 00 0010 0000ffff"
                        + "0a000000 0a0000ff"), INVALID_SYNTAX,
                        "IPv6 traffic selector at offset 36 has length 16, must be 40"),
                bad("TS declares more selectors than it holds", request(45, "00 00 0018 02 000000 07 00 0010 0000ffff"
                        + "0a000000 0a0000ff"), INVALID_SYNTAX, "TSr payload declares 2 selectors but holds 1"),
                bad("TS bytes after the declared selectors", request(44, "00 00 001c 01 000000 07 00 0010 0000ffff"
                        + "0a000000 0a0000ff 00000000"), INVALID_SYNTAX,
                        "TSi payload has 4 bytes after its 1 declared selectors"),
                bad("selector length 2", request(44, "00 00 000c 01 000000 07 00 0002"), INVALID_SYNTAX,
                        "traffic selector at offset 36 has length 2 but 4 bytes remain"),
                bad("CP attribute longer than the payload", request(47, "00 00 000c 01 000000 0001 0008"),
                        INVALID_SYNTAX, "CP attribute value: needs 8 bytes at offset 40, only 0 left"),
                // --- SA payload
                bad("SA without proposals", request(33, "00 00 0004"), INVALID_SYNTAX, "SA payload has no proposals"),
                bad("proposal substructure type 3", request(33, "00 00 0014 03 00 0010 01 01 00 01 " + P1),
                        INVALID_SYNTAX, "proposal at offset 32 has substructure type 3, expected 0 or 2"),
                bad("proposal length below 8", request(33, "00 00 0014 00 00 0004 01 01 00 01 " + P1), INVALID_SYNTAX,
                        "proposal at offset 32 has length 4 but 16 bytes remain in the SA payload"),
                bad("proposal length past the SA payload", request(33, "00 00 0014 00 00 0020 01 01 00 01 " + P1),
                        INVALID_SYNTAX, "proposal at offset 32 has length 32 but 16 bytes remain in the SA payload"),
                bad("proposal marked last but another follows", request(33, "00 00 0024"
                        + " 00 00 0010 01 01 00 01 " + P1 + " 00 00 0010 02 01 00 01 " + P1), INVALID_SYNTAX,
                        "proposal at offset 32 is marked last but 16 bytes follow it"),
                bad("proposal marked not last but ends the SA", request(33, "00 00 0014 02 00 0010 01 01 00 01 " + P1),
                        INVALID_SYNTAX, "proposal at offset 32 is marked not last but ends the SA payload"),
                bad("proposal number 0", request(33, "00 00 0014 00 00 0010 00 01 00 01 " + P1), INVALID_SYNTAX,
                        "proposal at offset 32 has number 0"),
                bad("first of two proposals numbered 2", request(33, "00 00 0024"
                        + " 02 00 0010 02 01 00 01 " + P1 + " 00 00 0010 03 01 00 01 " + P1), INVALID_SYNTAX,
                        "first of several proposals has number 2, must be 1"),
                bad("proposal numbers 1 then 3", request(33, "00 00 0024"
                        + " 02 00 0010 01 01 00 01 " + P1 + " 00 00 0010 03 01 00 01 " + P1), INVALID_SYNTAX,
                        "proposal number 3 at offset 48 follows number 1, must be 2"),
                bad("proposal numbers 1 then 1", request(33, "00 00 0024"
                        + " 02 00 0010 01 01 00 01 " + P1 + " 00 00 0010 01 01 00 01 " + P1), INVALID_SYNTAX,
                        "proposal number 1 at offset 48 follows number 1, must be 2"),
                bad("proposal SPI size past the proposal", request(33, "00 00 0014 00 00 0010 01 01 09 01 " + P1),
                        INVALID_SYNTAX, "proposal SPI: needs 9 bytes at offset 40, only 8 left"),
                bad("more transforms declared than present", request(33, "00 00 0014 00 00 0010 01 01 00 02 " + P1),
                        INVALID_SYNTAX, "transform at offset 40 is marked last but proposal 1 declares more transforms"),
                bad("transform count exceeds the proposal", request(33, "00 00 0014 00 00 0010 01 01 00 02 " + T_MORE),
                        INVALID_SYNTAX, "proposal 1 declares 2 transforms but holds 1"),
                bad("bytes after the declared transforms", request(33, "00 00 0018 00 00 0014 01 01 00 01 " + P1
                        + " 00000000"), INVALID_SYNTAX, "proposal 1 has 4 bytes after its 1 declared transforms"),
                bad("last transform not marked last", request(33, "00 00 0014 00 00 0010 01 01 00 01 " + T_MORE),
                        INVALID_SYNTAX, "transform at offset 40 is the last of proposal 1 but not marked last"),
                bad("transform length below 8", request(33, "00 00 0014 00 00 0010 01 01 00 01 00 00 0006 01 00 0001"),
                        INVALID_SYNTAX, "transform at offset 40 has length 6 but 8 bytes remain in proposal 1"),
                bad("transform length past the proposal", request(33, "00 00 0014 00 00 0010 01 01 00 01"
                        + " 00 00 000c 01 00 0001"), INVALID_SYNTAX,
                        "transform at offset 40 has length 12 but 8 bytes remain in proposal 1"),
                bad("transform substructure type 1", request(33, "00 00 0014 00 00 0010 01 01 00 01 01 00 0008 01 00 0001"),
                        INVALID_SYNTAX, "transform at offset 40 has substructure type 1, expected 0 or 3"),
                bad("TV attribute cut short", request(33, "00 00 0016 00 00 0012 01 01 00 01 00 00 000a 01 00 000c 800e"),
                        INVALID_SYNTAX, "transform attribute value: needs 2 bytes at offset 50, only 0 left"),
                bad("TLV attribute longer than the transform", request(33, "00 00 0018 00 00 0014 01 01 00 01"
                        + " 00 00 000c 01 00 000c 0001 0004"), INVALID_SYNTAX,
                        "transform attribute value: needs 4 bytes at offset 52, only 0 left"));
    }

    private static Arguments bad(String name, byte[] datagram, NotifyType answer, String message) {
        return Arguments.of(name, datagram, answer, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedWithTheExactAnswer(String name, byte[] datagram, NotifyType answer, String message) {
        IkeDecodeException e = catchThrowableOfType(IkeDecodeException.class, () -> IkeMessageCodec.decode(datagram));
        assertThat(e).as(name).isNotNull();
        assertThat(e.notifyType()).isEqualTo(answer);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void unsupportedCriticalPayloadCarriesThePayloadTypeAndTheHeader() {
        IkeDecodeException e = catchThrowableOfType(IkeDecodeException.class,
                () -> IkeMessageCodec.decode(request(49, "00 80 0008 01020304")));
        assertThat(e.notifyData()).isEqualTo(Bytes.fromHex("31"));
        assertThat(e.header()).contains(Fixtures.requestHeader());
    }

    @Test
    void invalidMajorVersionAnswersWithVersionTwoAndKeepsTheHeader() {
        IkeDecodeException e = catchThrowableOfType(IkeDecodeException.class,
                () -> IkeMessageCodec.decode(hex(HDR + "00 30 22 08 00000000 0000001c")));
        assertThat(e.notifyData()).isEqualTo(Bytes.fromHex("20"));
        assertThat(e.header()).map(IkeHeader::initiatorSpi).contains(0x0011223344556677L);
    }

    @Test
    void aTooShortDatagramHasNoHeaderToAnswerWith() {
        IkeDecodeException e = catchThrowableOfType(IkeDecodeException.class, () -> IkeMessageCodec.decode(new byte[5]));
        assertThat(e.header()).isEmpty();
    }

    @Test
    void skInsideSkIsRejected() {
        byte[] plain = hex("00 00 0005 00");
        IkeDecodeException e = catchThrowableOfType(IkeDecodeException.class,
                () -> PayloadCodec.decodeInnerChain(46, plain, plain.length));
        assertThat(e.getMessage()).isEqualTo("SK payload at offset 0 is inside another SK payload");
    }
}
