package io.ipsecd.testbed;

/**
 * The strongSwan versions the testbed can run. 5.9.8 is the host's own Debian package; the
 * others run as namespace containers on a debootstrapped rootfs of their Debian suite.
 */
public enum StrongSwanVersion {
    V5_9_8("5.9.8", null),
    /** Multiple key exchanges (RFC 9370) over classical groups (PostQuantumInteropTest: x25519 then ecp384). */
    V6_0_1("6.0.1", "trixie"),
    /** ML-KEM through OpenSSL 3.6. */
    V6_1_0("6.1.0", "sid");

    private final String version;
    private final String suite;

    StrongSwanVersion(String version, String suite) {
        this.version = version;
        this.suite = suite;
    }

    public String version() { return version; }

    /** Debian suite of the container rootfs, or {@code null} for the host packages. */
    public String suite() { return suite; }

    public boolean onHost() { return suite == null; }

    /** 6.x runs the charon-systemd binary, whose strongswan.conf section is named after it. */
    String daemonSection() { return onHost() ? "charon" : "charon-systemd"; }

    String daemonPath() { return onHost() ? "/usr/lib/ipsec/charon" : "/usr/sbin/charon-systemd"; }
}
