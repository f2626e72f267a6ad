/** Layer-3 TUN interfaces through /dev/net/tun: batch reads and writes, one queue per worker. */
package io.ipsecd.dataplane.tun;
