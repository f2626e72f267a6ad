package io.ipsecd.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;

import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

/** DN identities in strongSwan's order: the RDN written first is the first in the DER. */
class DistinguishedNamesTest {
    @Test
    void encodesInTheOrderWrittenLikeStrongSwan() throws Exception {
        // strongSwan's pki --dn "C=CH, O=strongSwan, CN=moon" and openssl -subj /C=CH/O=strongSwan/CN=moon put C first
        byte[] der = DistinguishedNames.encode("C=CH, O=strongSwan, CN=moon");
        X500Name name = X500Name.getInstance(der);
        assertThat(name.getRDNs()[0].getFirst().getType()).isEqualTo(BCStyle.C);
        assertThat(name.getRDNs()[2].getFirst().getType()).isEqualTo(BCStyle.CN);
        // the JDK reads RFC 4514 text most specific first, so this is the same DER, PrintableStrings as strongSwan's
        assertThat(der).isEqualTo(new X500Principal("CN=moon, O=strongSwan, C=CH").getEncoded());
        assertThat(DistinguishedNames.text(der)).contains("C=CH, O=strongSwan, CN=moon");
    }

    @Test
    void matchesEitherOrderButNotAnotherName() {
        X500Principal moon = new X500Principal(DistinguishedNames.encode("C=CH, O=strongSwan, CN=moon"));
        assertThat(DistinguishedNames.matches("C=CH, O=strongSwan, CN=moon", moon)).isTrue();
        assertThat(DistinguishedNames.matches("CN=moon, O=strongSwan, C=CH", moon)).isTrue();
        assertThat(DistinguishedNames.matches("C=CH, O=strongSwan, CN=sun", moon)).isFalse();
        assertThat(DistinguishedNames.matches("not a dn", moon)).isFalse();
    }
}
