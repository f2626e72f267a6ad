/**
 * The outer transport of ESP: UDP on the NAT-T port shared with IKE (RFC 3948), and raw IP
 * protocol 50 when no NAT is in the way.
 */
package io.ipsecd.dataplane.net;
