/** Packet buffers reused from syscall to syscall, so the hot path allocates nothing. */
package io.ipsecd.dataplane.packet;
