package io.ipsecd.ike.exchange;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one IKE SA for {@code list-sas}, with strongSwan's algorithm names
 * ({@code AES_GCM_16-256}, {@code PRF_HMAC_SHA2_384}, {@code CURVE_25519}, with RFC 9370 additional
 * key exchanges {@code CURVE_25519/KE1_ML_KEM_768}); empty strings for
 * what is not negotiated (integrity with AEAD). {@code rekeyAt} is null until established;
 * {@code rekeys} counts the rekeys that led to this SA since it was first negotiated;
 * {@code authentication} says how the peer authenticated (and the PPK, if any), empty until it
 * did; {@code fragmentation}: both sides agreed on RFC 7383 IKE fragmentation.
 */
public record IkeSaInfo(String name, long uniqueId, String state, boolean initiator, long spiInitiator,
                        long spiResponder, String localId, InetSocketAddress local, String remoteId,
                        InetSocketAddress remote, String encryption, String integrity, String prf, String keyExchange,
                        boolean natDetected, Instant established, Instant rekeyAt, int rekeys,
                        List<ChildSaInfo> children, String authentication, boolean fragmentation) {
    public IkeSaInfo {
        children = List.copyOf(children);
    }

    /** Our address as strongSwan prints it (IPv6 compressed, RFC 5952). */
    public String localHost() {
        return Selectors.text(local.getAddress());
    }

    /** The peer's address as strongSwan prints it. */
    public String remoteHost() {
        return Selectors.text(remote.getAddress());
    }

    /** The snapshot of one IKE SA (on the event loop). */
    static IkeSaInfo of(IkeSa sa) {
        boolean up = sa.suite != null;
        return new IkeSaInfo(sa.name(), sa.uniqueId, sa.state.name(), sa.initiator, sa.spiI, sa.spiR,
                sa.conn.local().id().toString(), sa.local, sa.peerIdText, sa.remote, up ? Suites.encryptionName(sa.suite.cipher()) : "",
                up ? Suites.integrityName(sa.suite.cipher().integrity()) : "", up ? Suites.prfName(sa.suite.prf()) : "",
                up ? sa.suite.keyExchangeNames() : "", sa.natDetected, sa.established,
                sa.rekeyAt, sa.rekeys, sa.children.stream().map(ChildSa::info).toList(), authentication(sa),
                sa.fragments.agreed());
    }

    /** The peer's authentication, and the PPK when one is mixed into the keys. */
    private static String authentication(IkeSa sa) {
        return sa.peerAuth + (sa.ppkId == null ? "" : (sa.peerAuth.isEmpty() ? "" : ", ") + "PPK '" + sa.ppkId + "'");
    }

    /** One Child SA; SPIs as on the wire (ours for inbound, the peer's for outbound). */
    public record ChildSaInfo(String name, long uniqueId, int reqid, String state, boolean udpEncapsulation,
                              String encryption, String integrity, String keyExchange, boolean esn, int spiIn,
                              int spiOut, Instant installed, Instant rekeyAt, List<String> localTs,
                              List<String> remoteTs, int rekeys, Instant expiresAt) {
        public ChildSaInfo {
            localTs = List.copyOf(localTs);
            remoteTs = List.copyOf(remoteTs);
        }
    }
}
