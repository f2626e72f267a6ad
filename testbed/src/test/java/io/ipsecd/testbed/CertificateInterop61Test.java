package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.TestCa.KeyType;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate authentication against strongSwan 6.1.0 (the sid container): an ECDSA P-384 chain
 * of root, intermediate and gateway from {@link TestCa}, ipsecd initiating and then strongSwan
 * initiating, a ping through each time. The setup is {@link CertificateInteropTest}'s.
 */
@Testbed
class CertificateInterop61Test {
    private static Lab lab;
    private static Ipsecd ours;
    private static StrongSwan theirs;

    @BeforeAll
    static void oneLab() {
        Ipsecd.assumePackaged();
        lab = Topologies.siteToSite();
        ours = Ipsecd.start(lab, lab.corp());
        theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V6_1_0, Map.of());
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) lab.close();
    }

    @Test
    void ecdsaP384ChainInBothRoles() {
        CertificateInteropTest.configure(lab, ours, theirs, KeyType.ECDSA_P384, false);
        long from = CertificateInteropTest.size(theirs.log());
        long oursFrom = CertificateInteropTest.size(ours.log());
        CertificateInteropTest.bothRoles(lab, ours, theirs);
        String corp = CertificateInteropTest.fqdn(lab.corp());
        String cloud = CertificateInteropTest.fqdn(lab.cloud());
        assertThat(CertificateInteropTest.since(theirs.log(), from))
                .contains("authentication of '" + corp + "' with ECDSA_WITH_SHA384_DER successful");
        assertThat(CertificateInteropTest.since(ours.log(), oursFrom))
                .contains("authenticated with certificate CN=" + cloud + ",O=ipsecd testbed,C=CH (ECDSA-SHA384 (RFC 7427))");
    }
}
