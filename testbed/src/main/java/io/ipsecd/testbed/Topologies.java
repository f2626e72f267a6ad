package io.ipsecd.testbed;

import io.ipsecd.testbed.Site.Dual;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The lab shapes. Addresses come only from documentation and benchmarking ranges and exist only
 * inside the lab's namespaces:
 * <ul>
 *   <li>WAN 192.0.2.0/24 and 2001:db8:ffff::/64 (cloud gateway .2, first corp gateway .1);</li>
 *   <li>corp site i LAN 198.18.(i+1).0/24 and 2001:db8:(i+1)::/64;</li>
 *   <li>cloud LAN 198.19.0.0/24 and 2001:db8:c::/64;</li>
 *   <li>behind NAT, the corp gateway sits on 198.51.100.0/24 and 2001:db8:fffe::/64.</li>
 * </ul>
 * Gateways know only their own LAN and the WAN: traffic between the LANs needs a tunnel (or
 * {@link Lab#enablePlainRouting()}), so a broken tunnel can never pass traffic in clear.
 */
public final class Topologies {
    public enum Kind { SITE_TO_SITE, NAT, MULTI_SITE }

    private Topologies() {}

    public static Lab create(Kind kind, int corpSites) {
        return switch (kind) {
            case SITE_TO_SITE -> siteToSite();
            case NAT -> nat();
            case MULTI_SITE -> multiSite(corpSites);
        };
    }

    /** corp-host - corp-gw - (WAN veth) - cloud-gw - cloud-host. */
    public static Lab siteToSite() {
        Lab lab = new Lab();
        try {
            Site cloud = site(lab, "cloud", cloudLan(), wan(2));
            Site corp = site(lab, "corp", corpLan(0), wan(1));
            lab.link(corp.gatewayNs(), "wan0", cloud.gatewayNs(), "wan0");
            lab.address(corp.gatewayNs(), "wan0", cidr(wan(1), 24, 64));
            lab.address(cloud.gatewayNs(), "wan0", cidr(wan(2), 24, 64));
            lab.plainRoute(corp.gatewayNs(), cloudLan(), wan(2));
            lab.plainRoute(cloud.gatewayNs(), corpLan(0), wan(1));
            lab.corps.add(corp);
            lab.cloud = cloud;
            lab.wanTapNs = corp.gatewayNs();
            lab.wanTapInterface = "wan0";
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Like site-to-site, with a masquerading NAT router between corp-gw and the WAN. */
    public static Lab nat() {
        Lab lab = new Lab();
        try {
            Site cloud = site(lab, "cloud", cloudLan(), wan(2));
            Dual inside = new Dual("198.51.100.2", "2001:db8:fffe::2");
            Dual natInside = new Dual("198.51.100.1", "2001:db8:fffe::1");
            Site corpPrivate = site(lab, "corp", corpLan(0), inside);
            Site corp = new Site(corpPrivate.name(), corpPrivate.gatewayNs(), corpPrivate.hostNs(), corpPrivate.lan(),
                    corpPrivate.hostAddress(), corpPrivate.gatewayLan(), inside, wan(1), "wan0");
            String nat = lab.addNamespace("nat", true);
            lab.link(corp.gatewayNs(), "wan0", nat, "in0");
            lab.address(corp.gatewayNs(), "wan0", cidr(inside, 24, 64));
            lab.address(nat, "in0", cidr(natInside, 24, 64));
            lab.link(nat, "wan0", cloud.gatewayNs(), "wan0");
            lab.address(nat, "wan0", cidr(wan(1), 24, 64));
            lab.address(cloud.gatewayNs(), "wan0", cidr(wan(2), 24, 64));
            lab.route(corp.gatewayNs(), new Dual("default", "default"), natInside);
            masquerade(lab, nat);
            lab.plainRoute(corp.gatewayNs(), cloudLan(), natInside);
            lab.plainRoute(nat, corpLan(0), inside);
            lab.plainRoute(nat, cloudLan(), wan(2));
            lab.plainRoute(cloud.gatewayNs(), corpLan(0), wan(1));
            lab.corps.add(corp);
            lab.cloud = cloud;
            lab.wanTapNs = nat;
            lab.wanTapInterface = "wan0";
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** One cloud gateway and {@code corpSites} corp gateways on a WAN bridge in its own namespace. */
    public static Lab multiSite(int corpSites) {
        if (corpSites < 1 || corpSites > 50) throw new IllegalArgumentException("corp sites: 1..50");
        Lab lab = new Lab();
        try {
            String wan = lab.addNamespace("wan", false);
            Netns.ip(wan, "link", "add", "br0", "type", "bridge");
            Netns.ip(wan, "link", "set", "br0", "up");
            Site cloud = site(lab, "cloud", cloudLan(), wan(2));
            attachToBridge(lab, wan, cloud, "p0");
            for (int i = 0; i < corpSites; i++) {
                Dual wanAddr = wan(i == 0 ? 1 : 10 + i);
                Site corp = site(lab, i == 0 ? "corp" : "corp" + (i + 1), corpLan(i), wanAddr);
                attachToBridge(lab, wan, corp, "p" + (i + 1));
                lab.plainRoute(corp.gatewayNs(), cloudLan(), wan(2));
                lab.plainRoute(cloud.gatewayNs(), corpLan(i), wanAddr);
                lab.corps.add(corp);
            }
            lab.cloud = cloud;
            lab.wanTapNs = wan;
            lab.wanTapInterface = "br0";
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private static void attachToBridge(Lab lab, String wanNs, Site site, String port) {
        lab.link(site.gatewayNs(), "wan0", wanNs, port);
        Netns.ip(wanNs, "link", "set", port, "master", "br0");
        lab.address(site.gatewayNs(), "wan0", cidr(site.wanAddress(), 24, 64));
    }

    /** A gateway and a host namespace joined by the site LAN; the WAN side is wired by the caller. */
    private static Site site(Lab lab, String name, Dual lan, Dual wanAddress) {
        String gw = lab.addNamespace(name + "-gw", true);
        String host = lab.addNamespace(name + "-host", false);
        Dual gwLan = hostIn(lan, 1);
        Dual hostAddr = hostIn(lan, 2);
        lab.link(host, "eth0", gw, "lan0");
        lab.address(gw, "lan0", cidr(gwLan, 24, 64));
        lab.address(host, "eth0", cidr(hostAddr, 24, 64));
        lab.route(host, new Dual("default", "default"), gwLan);
        return new Site(name, gw, host, lan, hostAddr, gwLan, wanAddress, wanAddress, "wan0");
    }

    private static void masquerade(Lab lab, String natNs) {
        String rules = """
                table ip nat {
                  chain post {
                    type nat hook postrouting priority 100;
                    oifname "wan0" masquerade
                  }
                }
                table ip6 nat {
                  chain post {
                    type nat hook postrouting priority 100;
                    oifname "wan0" masquerade
                  }
                }
                """;
        try {
            Path file = Files.writeString(lab.dir("nat").resolve("nat.nft"), rules);
            Netns.run(natNs, Netns.SHORT, "nft", "-f", file.toString()).check();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dual wan(int host) { return new Dual("192.0.2." + host, "2001:db8:ffff::" + host); }
    static Dual corpLan(int i) { return new Dual("198.18." + (i + 1) + ".0/24", "2001:db8:" + (i + 1) + "::/64"); }
    static Dual cloudLan() { return new Dual("198.19.0.0/24", "2001:db8:c::/64"); }

    private static Dual hostIn(Dual lan, int host) {
        String v4 = lan.v4().substring(0, lan.v4().lastIndexOf('.') + 1) + host;
        String v6 = lan.v6().substring(0, lan.v6().indexOf("::") + 2) + host;
        return new Dual(v4, v6);
    }

    private static Dual cidr(Dual a, int v4len, int v6len) { return new Dual(a.v4() + "/" + v4len, a.v6() + "/" + v6len); }
}
