package io.ipsecd.conf;

/** The padding of RSA signatures made with the local key. */
public enum RsaPadding {
    /** RSASSA-PSS (RFC 8017): the default, needs RFC 7427. */
    PSS,
    /** RSASSA-PKCS1-v1_5: for peers that cannot verify PSS; the only padding of the classic RSA method. */
    PKCS1
}
