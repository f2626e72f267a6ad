package io.ipsecd.ike.message;

import java.util.Optional;

/**
 * Notify message types. Errors are below 16384, status types from 16384 (RFC 7296 §3.10.1).
 * Sources: RFC 7296 §3.10.1; MOBIKE_SUPPORTED RFC 4555; FRAGMENTATION_SUPPORTED RFC 7383;
 * SIGNATURE_HASH_ALGORITHMS RFC 7427; INTERMEDIATE_EXCHANGE_SUPPORTED RFC 9242;
 * USE_PPK, PPK_IDENTITY, NO_PPK_AUTH RFC 8784 (numbers from the IANA IKEv2 status types registry).
 * {@link NotifyPayload} keeps the wire number, so unknown types survive a round trip.
 */
public enum NotifyType {
    UNSUPPORTED_CRITICAL_PAYLOAD(1),
    INVALID_IKE_SPI(4),
    INVALID_MAJOR_VERSION(5),
    INVALID_SYNTAX(7),
    INVALID_MESSAGE_ID(9),
    INVALID_SPI(11),
    NO_PROPOSAL_CHOSEN(14),
    INVALID_KE_PAYLOAD(17),
    AUTHENTICATION_FAILED(24),
    SINGLE_PAIR_REQUIRED(34),
    NO_ADDITIONAL_SAS(35),
    INTERNAL_ADDRESS_FAILURE(36),
    FAILED_CP_REQUIRED(37),
    TS_UNACCEPTABLE(38),
    INVALID_SELECTORS(39),
    TEMPORARY_FAILURE(43),
    CHILD_SA_NOT_FOUND(44),
    /** RFC 9370: an IKE_FOLLOWUP_KE whose ADDITIONAL_KEY_EXCHANGE link the responder does not know. */
    STATE_NOT_FOUND(47),

    INITIAL_CONTACT(16384),
    SET_WINDOW_SIZE(16385),
    ADDITIONAL_TS_POSSIBLE(16386),
    IPCOMP_SUPPORTED(16387),
    NAT_DETECTION_SOURCE_IP(16388),
    NAT_DETECTION_DESTINATION_IP(16389),
    COOKIE(16390),
    USE_TRANSPORT_MODE(16391),
    HTTP_CERT_LOOKUP_SUPPORTED(16392),
    REKEY_SA(16393),
    ESP_TFC_PADDING_NOT_SUPPORTED(16394),
    NON_FIRST_FRAGMENTS_ALSO(16395),
    MOBIKE_SUPPORTED(16396),
    FRAGMENTATION_SUPPORTED(16430),
    SIGNATURE_HASH_ALGORITHMS(16431),
    USE_PPK(16435),
    PPK_IDENTITY(16436),
    NO_PPK_AUTH(16437),
    INTERMEDIATE_EXCHANGE_SUPPORTED(16438),
    /** RFC 9370: links a CREATE_CHILD_SA to its IKE_FOLLOWUP_KE exchanges (opaque responder data). */
    ADDITIONAL_KEY_EXCHANGE(16441);

    /** First status type; everything below is an error type. */
    public static final int FIRST_STATUS_TYPE = 16384;

    private final int value;

    NotifyType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public boolean isError() {
        return value < FIRST_STATUS_TYPE;
    }

    public static Optional<NotifyType> fromValue(int value) {
        for (NotifyType t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
