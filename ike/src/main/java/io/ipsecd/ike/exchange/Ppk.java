package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Connection;
import io.ipsecd.conf.PpkSettings;
import io.ipsecd.ike.crypto.IkeSaKeys;
import io.ipsecd.ike.crypto.Prf;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 8784 post-quantum preshared keys for one IKE SA. Both sides announce USE_PPK in
 * IKE_SA_INIT; in IKE_AUTH the initiator names its PPK (PPK_IDENTITY, a PPK_ID_FIXED identity) and,
 * when the PPK is optional, adds NO_PPK_AUTH: its AUTH computed without the PPK, which a responder
 * that lacks that PPK verifies instead. With the PPK, SK_d' = prf+(PPK, SK_d), SK_pi' =
 * prf+(PPK, SK_pi) and SK_pr' = prf+(PPK, SK_pr) replace the originals: AUTH signs with SK_p' (via
 * {@link SaKeying#signedOctets}), and every Child SA and later rekey derives from SK_d'. The
 * encryption and integrity keys do not change.
 *
 * <p>Until IKE_AUTH decides, the IKE SA holds both key sets; {@link IkeSa#keys} is the one in
 * effect and the other is wiped when the IKE SA is established or destroyed.
 */
final class Ppk {
    private static final Logger log = LoggerFactory.getLogger("ike");
    /** PPK_ID type: the rest of the notify is the configured PPK_ID as is (RFC 8784 §3). */
    static final int PPK_ID_FIXED = 2;

    private final PpkSettings settings;
    /** The keys without the PPK: the IKE SA's keys when IKE_AUTH starts (after any IKE_INTERMEDIATE). */
    private IkeSaKeys plain;
    /** The keys with the PPK mixed in; made on first use. */
    private IkeSaKeys mixed;
    /** Responder: the peer's AUTH is in NO_PPK_AUTH because we lack its PPK. */
    private boolean fallback;

    private Ppk(PpkSettings settings) {
        this.settings = settings;
    }

    // ---- IKE_SA_INIT ---------------------------------------------------------------------------

    /** USE_PPK for the IKE_SA_INIT request when the connection has a PPK. */
    static List<Payload> offer(Connection conn) {
        return conn.ppk().isPresent() ? List.of(NotifyPayload.of(NotifyType.USE_PPK)) : List.of();
    }

    /**
     * Initiator, IKE_SA_INIT response in hand (keys derived): whether we go on. A required PPK and
     * a peer without USE_PPK fails the IKE SA here.
     */
    static boolean initiatorAccepts(IkeSa sa, List<Payload> response) {
        Optional<PpkSettings> cfg = sa.conn.ppk();
        if (cfg.isEmpty()) {
            return true;
        }
        if (has(response, NotifyType.USE_PPK)) {
            sa.ppk = new Ppk(cfg.get());
            return true;
        }
        if (cfg.get().required()) {
            sa.fail(Optional.empty(), "PPK required but not supported: peer " + sa.peer() + " did not answer USE_PPK "
                    + "(RFC 8784), so the PPK '" + cfg.get().id() + "' of tunnel " + sa.name() + " cannot be used; "
                    + "configure a ppk on the peer or set ppk.required to false here");
            return false;
        }
        log.info("{}: peer {} does not support PPK (no USE_PPK): continuing without PPK '{}' (ppk.required is false)",
                sa.name(), sa.peer(), cfg.get().id());
        return true;
    }

    /** Responder: USE_PPK for the IKE_SA_INIT response when both sides want a PPK. */
    static List<Payload> answer(IkeSa sa, List<Payload> request) {
        Optional<PpkSettings> cfg = sa.conn.ppk();
        if (cfg.isEmpty() || !has(request, NotifyType.USE_PPK)) {
            return List.of();
        }
        sa.ppk = new Ppk(cfg.get());
        return List.of(NotifyPayload.of(NotifyType.USE_PPK));
    }

    // ---- IKE_AUTH, initiator -------------------------------------------------------------------

    /**
     * PPK_IDENTITY and, with an optional PPK, NO_PPK_AUTH (from {@code ourAuth} computed now, with
     * the plain keys); afterwards the PPK keys are in effect, so the AUTH payload built next uses
     * SK_pi'. Empty when no PPK is in play.
     */
    static List<Payload> initiatorNotifies(IkeSa sa, Supplier<byte[]> ourAuth) {
        Ppk p = sa.ppk;
        if (p == null) {
            return List.of();
        }
        sa.keys = p.plain(sa);
        NotifyPayload identity = NotifyPayload.of(NotifyType.PPK_IDENTITY, Bytes.of(p.encodedId()));
        List<Payload> out;
        if (p.settings.required()) {
            out = List.of(identity);
        } else {
            byte[] plainAuth = ourAuth.get();
            out = List.of(identity, NotifyPayload.of(NotifyType.NO_PPK_AUTH, Bytes.of(plainAuth)));
            Arrays.fill(plainAuth, (byte) 0);
        }
        sa.keys = p.mixed(sa);
        return out;
    }

    /**
     * Initiator, IKE_AUTH response: the responder confirms the PPK with PPK_IDENTITY, or it did
     * not use it (then we fall back to the plain keys, unless the PPK is required). Returns the
     * failure message when we cannot go on.
     */
    static Optional<String> initiatorChecks(IkeSa sa, IkeMessage response) {
        Ppk p = sa.ppk;
        if (p == null) {
            return Optional.empty();
        }
        if (response.notify(NotifyType.PPK_IDENTITY).isPresent()) {
            sa.keys = p.mixed(sa);
            return Optional.empty();
        }
        if (p.settings.required()) {
            return Optional.of("PPK required: peer " + sa.peer() + " answered IKE_AUTH without using PPK '"
                    + p.settings.id() + "' of tunnel " + sa.name() + " (no PPK_IDENTITY); check that the peer has a ppk "
                    + "with this id");
        }
        log.info("{}: peer {} did not use PPK '{}': continuing without it (ppk.required is false)", sa.name(), sa.peer(),
                p.settings.id());
        sa.keys = p.plain;
        return Optional.empty();
    }

    /**
     * Initiator: the failure message when the peer refused our AUTH ({@code peerRefused}) or its
     * AUTH does not verify, while the PPK was in effect; empty when no PPK was involved.
     */
    static Optional<String> initiatorMismatch(IkeSa sa, boolean peerRefused) {
        Ppk p = sa.ppk;
        if (p == null || p.mixed == null || sa.keys != p.mixed) {
            return Optional.empty();
        }
        return Optional.of("authentication failed: " + (peerRefused ? "the peer refused our AUTH" : "the peer's AUTH does not "
                + "verify") + " with PPK '" + p.settings.id() + "' (tunnel " + sa.name() + ", peer " + sa.peer() + ", id "
                + sa.conn.remote().id() + "): most likely a PPK mismatch; check that both gateways have the same PPK for "
                + "this id (and the same PSK)");
    }

    // ---- IKE_AUTH, responder -------------------------------------------------------------------

    /**
     * Responder, before verifying the peer's AUTH: takes the PPK the peer names when it is ours
     * (the PPK keys are in effect afterwards), or falls back to NO_PPK_AUTH when the PPK is
     * optional. Returns the refusal message when the peer cannot be accepted.
     */
    static Optional<String> responderChooses(IkeSa sa, IkeMessage request) {
        Ppk p = sa.ppk;
        Optional<PpkSettings> cfg = sa.conn.ppk();
        if (p == null) {
            if (cfg.isPresent() && cfg.get().required()) {
                return Optional.of("PPK required but not supported: peer " + sa.peer() + " did not send USE_PPK "
                        + "(RFC 8784), so the PPK '" + cfg.get().id() + "' of tunnel " + sa.name() + " cannot be used; "
                        + "configure a ppk on the peer or set ppk.required to false here");
            }
            return Optional.empty();
        }
        Optional<NotifyPayload> identity = request.notify(NotifyType.PPK_IDENTITY);
        if (identity.isPresent() && MessageDigest.isEqual(identity.get().data().toArray(), p.encodedId())) {
            sa.keys = p.mixed(sa);
            return Optional.empty();
        }
        String named = identity.map(i -> "names PPK " + describeId(i.data())).orElse("sent no PPK_IDENTITY");
        if (p.settings.required()) {
            return Optional.of("PPK required: peer " + sa.peer() + " " + named + ", but tunnel " + sa.name()
                    + " has PPK '" + p.settings.id() + "'; check ppk.id on both gateways");
        }
        if (request.notify(NotifyType.NO_PPK_AUTH).isEmpty() && identity.isPresent()) {
            return Optional.of("peer " + sa.peer() + " " + named + " and requires it (no NO_PPK_AUTH), but tunnel "
                    + sa.name() + " has PPK '" + p.settings.id() + "'; check ppk.id on both gateways");
        }
        log.info("{}: peer {} {}: continuing without PPK '{}' (ppk.required is false)", sa.name(), sa.peer(), named,
                p.settings.id());
        p.fallback = identity.isPresent();
        sa.keys = p.plain(sa);
        return Optional.empty();
    }

    /** The AUTH data to verify: the AUTH payload's, or NO_PPK_AUTH's when we fell back. */
    static byte[] receivedAuth(IkeSa sa, IkeMessage request, AuthPayload auth) {
        if (sa.ppk != null && sa.ppk.fallback) {
            return request.notify(NotifyType.NO_PPK_AUTH).map(n -> n.data().toArray()).orElse(new byte[0]);
        }
        return auth.data().toArray();
    }

    /**
     * Responder: the refusal for an AUTH that does not verify while the PPK is in effect, or empty
     * when no PPK is involved. With NO_PPK_AUTH it checks the peer's AUTH without the PPK
     * ({@code peerAuthWithoutPpk}), which tells a PPK mismatch from a PSK mismatch.
     */
    static Optional<String> responderMismatch(IkeSa sa, IkeMessage request, Supplier<byte[]> peerAuthWithoutPpk) {
        Ppk p = sa.ppk;
        if (p == null || sa.keys != p.mixed) {
            return Optional.empty();
        }
        String where = "tunnel " + sa.name() + ", peer " + sa.peer() + " (id " + sa.conn.remote().id() + "), PPK '"
                + p.settings.id() + "'";
        Optional<NotifyPayload> noPpkAuth = request.notify(NotifyType.NO_PPK_AUTH);
        if (noPpkAuth.isPresent()) {
            sa.keys = p.plain;
            byte[] expected = peerAuthWithoutPpk.get();
            boolean pskFine = MessageDigest.isEqual(expected, noPpkAuth.get().data().toArray());
            Arrays.fill(expected, (byte) 0);
            sa.keys = p.mixed;
            if (pskFine) {
                return Optional.of("authentication failed: PPK mismatch (" + where + "): the peer's AUTH verifies without "
                        + "the PPK but not with ours; both gateways need the same PPK for this id");
            }
        }
        return Optional.of("authentication failed: its AUTH does not verify with our PSK and PPK (" + where
                + "): most likely a PPK mismatch; check that both gateways have the same PPK for this id and the same PSK");
    }

    /** Responder, after our AUTH: the empty PPK_IDENTITY that confirms the PPK, when it is in effect. */
    static List<Payload> confirmation(IkeSa sa) {
        Ppk p = sa.ppk;
        return p != null && p.mixed != null && sa.keys == p.mixed ? List.of(NotifyPayload.of(NotifyType.PPK_IDENTITY))
                : List.of();
    }

    // ---- both ----------------------------------------------------------------------------------

    /** Once established: wipes the key set not in effect and says whether the PPK is used. */
    static void settle(IkeSa sa) {
        Ppk p = sa.ppk;
        if (p == null) {
            return;
        }
        boolean used = p.mixed != null && sa.keys == p.mixed;
        if (used) {
            sa.ppkId = p.settings.id();
            log.info("{}: IKE SA with {} uses PPK '{}' (RFC 8784)", sa.name(), sa.peer(), p.settings.id());
        }
        p.wipeUnused(sa.keys);
        sa.ppk = null;
    }

    /**
     * Wipes SK_d, SK_pi and SK_pr of the set that is not {@code inEffect} (the encryption and
     * integrity keys are shared with it and go with the IKE SA's own keys).
     */
    void wipeUnused(IkeSaKeys inEffect) {
        if (mixed != null) {
            IkeSaKeys unused = inEffect == mixed ? plain : mixed;
            unused.skD().destroy();
            unused.skPi().destroy();
            unused.skPr().destroy();
        }
        plain = null;
        mixed = null;
    }

    private IkeSaKeys plain(IkeSa sa) {
        if (plain == null) {
            plain = sa.keys;
        }
        return plain;
    }

    private IkeSaKeys mixed(IkeSa sa) {
        if (mixed == null) {
            mixed = mix(sa.prf, plain(sa), settings);
        }
        return mixed;
    }

    /** SK_d', SK_pi', SK_pr' = prf+(PPK, SK_d / SK_pi / SK_pr), each as long as the original. */
    static IkeSaKeys mix(Prf prf, IkeSaKeys keys, PpkSettings settings) {
        byte[] ppk = settings.secret().bytes();
        try {
            return new IkeSaKeys(plus(prf, ppk, keys.skD()), keys.initiator(), keys.responder(), plus(prf, ppk, keys.skPi()),
                    plus(prf, ppk, keys.skPr()));
        } finally {
            Arrays.fill(ppk, (byte) 0);
        }
    }

    private static SecretBytes plus(Prf prf, byte[] ppk, SecretBytes original) {
        byte[] seed = original.copy();
        try {
            return SecretBytes.wrap(prf.plus(ppk, seed, seed.length));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private byte[] encodedId() {
        byte[] id = settings.id().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[id.length + 1];
        out[0] = PPK_ID_FIXED;
        System.arraycopy(id, 0, out, 1, id.length);
        return out;
    }

    /** A received PPK_IDENTITY for messages: "'id'" for a printable PPK_ID_FIXED, else its type and hex. */
    private static String describeId(Bytes data) {
        byte[] d = data.toArray();
        if (d.length > 1 && d[0] == PPK_ID_FIXED) {
            String text = new String(d, 1, d.length - 1, StandardCharsets.US_ASCII);
            if (text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return "'" + text + "'";
            }
        }
        return d.length == 0 ? "(empty)" : "of type " + (d[0] & 0xff) + " " + data.toHex();
    }

    private static boolean has(List<Payload> payloads, NotifyType type) {
        return payloads.stream().anyMatch(x -> x instanceof NotifyPayload n && n.notifyType() == type.value());
    }
}
