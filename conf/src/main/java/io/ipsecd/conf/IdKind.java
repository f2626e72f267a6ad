package io.ipsecd.conf;

/** IKEv2 identification types (RFC 7296 section 3.5) that a config can name. */
public enum IdKind {
    IPV4_ADDR(1), FQDN(2), RFC822_ADDR(3), IPV6_ADDR(5), DER_ASN1_DN(9), KEY_ID(11);

    private final int ikeType;

    IdKind(int ikeType) {
        this.ikeType = ikeType;
    }

    /** The ID Type value carried in IDi/IDr payloads. */
    public int ikeType() {
        return ikeType;
    }
}
