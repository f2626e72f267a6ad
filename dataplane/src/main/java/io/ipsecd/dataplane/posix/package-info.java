/**
 * The few C library calls the data plane needs, through java.lang.foreign: errno captured per
 * call, non-blocking descriptors woken by close, socket addresses and mmsghdr vectors in native
 * memory.
 */
package io.ipsecd.dataplane.posix;
