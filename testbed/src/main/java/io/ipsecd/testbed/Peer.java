package io.ipsecd.testbed;

/** Which daemon a scenario puts on a gateway; {@link #start} runs it inside a lab. */
public sealed interface Peer {
    Gateway start(Lab lab, Site site);

    String label();

    static Peer strongswan(StrongSwanVersion version) { return new StrongSwanPeer(version); }

    static Peer ipsecd() { return new IpsecdPeer(); }

    record StrongSwanPeer(StrongSwanVersion version) implements Peer {
        @Override
        public Gateway start(Lab lab, Site site) { return StrongSwan.start(lab, site, version); }

        @Override
        public String label() { return "strongSwan " + version.version(); }
    }

    record IpsecdPeer() implements Peer {
        @Override
        public Gateway start(Lab lab, Site site) { return Ipsecd.start(lab, site); }

        @Override
        public String label() { return "ipsecd"; }
    }
}
