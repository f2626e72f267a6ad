/**
 * ESP (RFC 4303) tunnel-mode packet transforms, pure and I/O-free, plus the ESP vocabulary shared
 * by {@code ike} and {@code dataplane}.
 *
 * <ul>
 * <li>Vocabulary: {@link io.ipsecd.esp.EspEncryption}, {@link io.ipsecd.esp.EspIntegrity},
 *     {@link io.ipsecd.esp.EspTransform} (sizes, overhead, tunnel MTU), {@link io.ipsecd.esp.EspKeys}
 *     (split from IKE KEYMAT), {@link io.ipsecd.esp.SaParameters}, {@link io.ipsecd.esp.SaLifetime},
 *     {@link io.ipsecd.esp.TrafficSelector}.
 * <li>Data path: {@link io.ipsecd.esp.OutboundSa#encapsulate} and
 *     {@link io.ipsecd.esp.InboundSa#decapsulate} over {@code byte[]} at offsets, returning an
 *     {@link io.ipsecd.esp.EspStatus}; {@link io.ipsecd.esp.EspPacket#spi} to find the SA first.
 * <li>Threading: one thread per SA direction on the packet path; stats and rekey flags are safe
 *     to read from anywhere.
 * </ul>
 */
package io.ipsecd.esp;
