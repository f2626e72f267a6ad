package io.ipsecd.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.auth.TestPki.Issued;
import io.ipsecd.ike.auth.TestPki.KeyType;
import io.ipsecd.ike.auth.TestPki.Spec;
import io.ipsecd.ike.message.Bytes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertRequestsTest {
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2035-01-01T00:00:00Z");

    @Test
    void hashesEachCaKeyAndMatchesThemBack() throws Exception {
        Issued a = TestPki.selfSigned(new Spec("CN=CA A", FROM, TO, true, TestPki.CA_USAGE), TestPki.keys(KeyType.ECDSA_P384));
        Issued b = TestPki.selfSigned(new Spec("CN=CA B", FROM, TO, true, TestPki.CA_USAGE), TestPki.keys(KeyType.ECDSA_P384));
        Issued c = TestPki.selfSigned(new Spec("CN=CA C", FROM, TO, true, TestPki.CA_USAGE), TestPki.keys(KeyType.ECDSA_P384));

        Bytes data = CertRequests.authorityHashes(List.of(a.cert(), b.cert()));

        byte[] spkiHash = MessageDigest.getInstance("SHA-1").digest(a.cert().getPublicKey().getEncoded());
        assertThat(data.length()).isEqualTo(40);
        assertThat(Bytes.of(data.toArray(), 0, 20)).isEqualTo(Bytes.of(spkiHash));
        assertThat(CertRequests.requests(data, a.cert())).isTrue();
        assertThat(CertRequests.requests(data, b.cert())).isTrue();
        assertThat(CertRequests.requests(data, c.cert())).isFalse();
        assertThat(CertRequests.requests(Bytes.of(data.toArray(), 20, 19), b.cert())).isFalse();
    }
}
