package io.ipsecd.ike.port;

/** The port could not do what IKE asked (no TUN device, SPI in use, ...); the message says which. */
public final class IpsecPortException extends Exception {
    public IpsecPortException(String message) {
        super(message);
    }
}
