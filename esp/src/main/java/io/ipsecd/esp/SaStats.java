package io.ipsecd.esp;

/**
 * A snapshot of one SA direction's counters. {@code packets}/{@code bytes} count what went
 * through successfully (bytes of inner packets); the drop counters count inbound rejections;
 * {@code refused} counts outbound packets not encapsulated. {@code lastPacketNanos} is the
 * {@link System#nanoTime()} of the last successful packet, 0 if none (for idle/DPD decisions).
 */
public record SaStats(long packets, long bytes, long replayDrops, long authFailures, long badPadding,
                      long malformed, long refused, long lastPacketNanos) {}
