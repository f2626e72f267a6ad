package io.ipsecd.conf;

/** How the local side's AUTH payload carries its signature. */
public enum SignatureFormat {
    /** RFC 7427 digital signature (AUTH method 14): the algorithm travels with the signature. The default. */
    RFC7427,
    /** The older RSA (method 1) and ECDSA (methods 9-11) AUTH methods, for peers without RFC 7427. */
    CLASSIC
}
