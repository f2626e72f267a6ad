package io.ipsecd.testbed;

/**
 * One site of a lab: a gateway namespace and a host namespace behind it on the site's LAN.
 *
 * @param name          short site name used in IDs and connection names ("corp", "corp2", "cloud")
 * @param gatewayNs     namespace of the gateway
 * @param hostNs        namespace of the host behind the gateway
 * @param lan           the LAN prefixes, which become the traffic selectors
 * @param hostAddress   the host's LAN addresses (probe targets)
 * @param gatewayLan    the gateway's LAN addresses (next hop of the host)
 * @param wanAddress    the gateway's own outer address (what it binds IKE to)
 * @param publicAddress the address its peers see (differs from wanAddress behind NAT)
 * @param wanInterface  the gateway's interface towards the WAN
 */
public record Site(String name, String gatewayNs, String hostNs, Dual lan, Dual hostAddress, Dual gatewayLan,
                   Dual wanAddress, Dual publicAddress, String wanInterface) {

    /** An IPv4 and an IPv6 value side by side: every link in a lab carries both families. */
    public record Dual(String v4, String v6) {
        @Override
        public String toString() { return v4 + "," + v6; }
    }
}
