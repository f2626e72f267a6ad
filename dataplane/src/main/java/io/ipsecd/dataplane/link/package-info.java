/** Configuring the TUN interface: MTU, up/down, addresses, and routes for child SA selectors. */
package io.ipsecd.dataplane.link;
