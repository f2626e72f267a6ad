package io.ipsecd.dataplane;

/**
 * Packets the data plane dropped outside any SA's own counters (those are in each SA's
 * {@link io.ipsecd.esp.SaStats}: replay, ICV, padding, refused).
 *
 * @param noPolicy outbound: a TUN packet no policy matches
 * @param noSa outbound: a PROTECT policy matched but has no usable SA (fail closed)
 * @param trapQueueFull outbound: a TRAP policy's hold queue was full
 * @param malformedInner a packet that is not parseable IPv4/IPv6
 * @param encryptRefused outbound: the SA refused (expired, sequence exhausted, destroyed)
 * @param tooBig outbound: larger than the SA carries; an ICMP error went back to the sender when allowed
 * @param sendFailed outbound: the socket refused the ESP packet
 * @param unknownSpi inbound: ESP for an SPI not installed
 * @param wrongTransport inbound: ESP for an SA of the other transport (UDP vs raw)
 * @param decryptFailed inbound: the SA rejected the packet (details in its SaStats)
 * @param policyMismatch inbound: a decrypted packet its SA's policy does not allow
 * @param tunWriteFailed inbound: the TUN refused the decrypted packet
 * @param eventsLost events for the listener dropped because its queue was full
 */
public record DropStats(long noPolicy, long noSa, long trapQueueFull, long malformedInner, long encryptRefused,
                        long tooBig, long sendFailed, long unknownSpi, long wrongTransport, long decryptFailed,
                        long policyMismatch, long tunWriteFailed, long eventsLost) {}
