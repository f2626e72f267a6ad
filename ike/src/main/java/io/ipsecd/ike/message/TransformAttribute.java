package io.ipsecd.ike.message;

/**
 * A transform attribute (RFC 7296 §3.3.5): TV form (AF bit set, 16-bit value) or TLV form.
 * The only attribute RFC 7296 defines is Key Length (14), in TV form.
 */
public sealed interface TransformAttribute {
    int KEY_LENGTH = 14;

    int type();

    record Tv(int type, int value) implements TransformAttribute {
        public Tv {
            if (type < 0 || type > 0x7fff || value < 0 || value > 0xffff) {
                throw new IllegalArgumentException("TV attribute out of range");
            }
        }
    }

    record Tlv(int type, Bytes value) implements TransformAttribute {
        public Tlv {
            if (type < 0 || type > 0x7fff || value.length() > 0xffff) {
                throw new IllegalArgumentException("TLV attribute out of range");
            }
        }
    }
}
