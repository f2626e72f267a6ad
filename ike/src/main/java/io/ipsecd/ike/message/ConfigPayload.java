package io.ipsecd.ike.message;

import java.util.List;

/**
 * Configuration payload (RFC 7296 §3.15): CFG_REQUEST 1, CFG_REPLY 2, CFG_SET 3, CFG_ACK 4, and
 * attributes kept raw (a site-to-site gateway parses them but does not hand out addresses).
 */
public record ConfigPayload(int configType, List<Attribute> attributes) implements Payload {
    public ConfigPayload {
        attributes = List.copyOf(attributes);
        if (configType < 0 || configType > 255) {
            throw new IllegalArgumentException("config type out of range: " + configType);
        }
    }

    /** One configuration attribute: 15-bit type (the reserved top bit is dropped) and value. */
    public record Attribute(int type, Bytes value) {
        public Attribute {
            if (type < 0 || type > 0x7fff || value.length() > 0xffff) {
                throw new IllegalArgumentException("config attribute out of range");
            }
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.CP.value();
    }
}
