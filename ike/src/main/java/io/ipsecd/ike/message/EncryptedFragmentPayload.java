package io.ipsecd.ike.message;

/**
 * Encrypted Fragment payload, SKF (RFC 7383 §2.5), still encrypted: one piece of what would have been
 * an SK payload's plaintext, sealed on its own. Like SK it must be the last payload of a message; its
 * next-payload field names the first inner payload in fragment 1 and is 0 in the others.
 * {@code io.ipsecd.ike.crypto.IkeFragmenter} seals and opens it.
 *
 * @param fragmentNumber 1-based, at most {@code totalFragments}
 * @param totalFragments how many fragments the message was split into, never 0
 * @param body IV, ciphertext and ICV, exactly as in an SK payload
 */
public record EncryptedFragmentPayload(int firstInnerPayloadType, int fragmentNumber, int totalFragments, Bytes body)
        implements Payload {
    /** Generic payload header plus Fragment Number and Total Fragments. */
    public static final int HEADER_LENGTH = 8;

    public EncryptedFragmentPayload {
        if (firstInnerPayloadType < 0 || firstInnerPayloadType > 255) {
            throw new IllegalArgumentException("payload type out of range: " + firstInnerPayloadType);
        }
        String problem = problem(fragmentNumber, totalFragments);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why a fragment number and total cannot be, or null. RFC 7383 §2.5 and §2.6: the receiver drops such fragments. */
    static String problem(int fragmentNumber, int totalFragments) {
        if (totalFragments < 1 || totalFragments > 0xffff) {
            return "Total Fragments is " + totalFragments + ", must be 1..65535";
        }
        if (fragmentNumber < 1 || fragmentNumber > totalFragments) {
            return "Fragment Number is " + fragmentNumber + ", must be 1.." + totalFragments;
        }
        return null;
    }

    @Override
    public int payloadType() {
        return PayloadType.SKF.value();
    }
}
