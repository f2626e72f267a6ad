/**
 * The user-space ESP data plane: packets between a TUN interface and the outer transport.
 *
 * <p>Sub-packages by job: {@code posix} (FFM bindings to the C library, errno, wakeable
 * non-blocking descriptors), {@code packet} (reusable packet batches), {@code tun} (the TUN
 * device), {@code link} (interface addresses, MTU and routes), {@code net} (ESP-in-UDP on the NAT-T
 * port shared with IKE, raw ESP). The data plane may use {@code esp}'s transforms; it never
 * depends on {@code ike}, {@code conf} or {@code cli} (IKE datagrams leave through
 * {@link io.ipsecd.dataplane.net.IkeDatagramHandler}).
 */
package io.ipsecd.dataplane;
