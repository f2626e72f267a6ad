/**
 * The user-space ESP data plane: packets between a TUN interface and the outer transport.
 *
 * <p>{@link io.ipsecd.dataplane.Dataplane} is the entry point: its own SA and policy API
 * ({@link io.ipsecd.dataplane.SaInstall}, {@link io.ipsecd.dataplane.spd.Policy}), events to a
 * {@link io.ipsecd.dataplane.DataplaneListener}, drop counters in {@link io.ipsecd.dataplane.DropStats}.
 * Inside: the SAD and SPD are immutable snapshots the workers read without locks
 * ({@code SecurityDatabase}); one outbound worker per interface (TUN, SPD lookup among that
 * interface's policies, MSS clamp, encrypt in place, segmented UDP send) and one inbound path per
 * transport (receive, SAD, decrypt, policy check, MSS clamp, merged write into the TUN of the
 * policy's interface) keep every SA single-writer; SAs are zeroed only after every worker's grace
 * period ({@code Quiescence}). Interfaces: the main TUN carries policy-based children, routed by
 * their remote selectors; each route-based connection has its own ({@link
 * io.ipsecd.dataplane.InterfaceSpec}), routed by configuration, whose any-to-any policies only see
 * what was routed into it.
 *
 * <p>Sub-packages by job: {@code spd} (selectors, flow keys, the policy table), {@code posix} (FFM
 * bindings to the C library, errno, wakeable non-blocking descriptors), {@code packet} (reusable
 * packet batches), {@code tun} (the TUN device, its virtio header offloads: TSO segmentation and
 * TCP merging), {@code link} (interface addresses, MTU and routes), {@code net} (ESP-in-UDP on the
 * NAT-T port shared with IKE, with UDP GSO/GRO; raw ESP). The data plane may use {@code esp}'s
 * transforms; it never depends on {@code ike}, {@code conf} or {@code cli} (IKE datagrams leave
 * through {@link io.ipsecd.dataplane.net.IkeDatagramHandler}).
 */
package io.ipsecd.dataplane;
