package io.ipsecd.conf;

/**
 * IKE fragmentation of a connection (RFC 7383): whether we offer it in IKE_SA_INIT, and the largest
 * IP datagram a fragment may make (IP and UDP headers included, as strongSwan's
 * {@code charon.fragment_size}).
 *
 * @param enabled offer FRAGMENTATION_SUPPORTED; used only when the peer offers it too
 * @param fragmentSize largest IP datagram of one fragment, {@value #MIN_SIZE}..{@value #MAX_SIZE}
 */
public record Fragmentation(boolean enabled, int fragmentSize) {
    /** The IPv6 minimum MTU (RFC 8200 §5): no fragmentation along any IPv6 path. */
    public static final int DEFAULT_SIZE = 1280;
    /** The datagram every IPv4 host must accept (RFC 791); RFC 7383 §2.5.1 names it the floor. */
    public static final int MIN_SIZE = 576;
    public static final int MAX_SIZE = 65535;
    public static final Fragmentation DEFAULT = new Fragmentation(true, DEFAULT_SIZE);

    public Fragmentation {
        if (fragmentSize < MIN_SIZE || fragmentSize > MAX_SIZE) {
            throw new IllegalArgumentException("fragment size " + fragmentSize + " outside " + MIN_SIZE + ".." + MAX_SIZE);
        }
    }
}
