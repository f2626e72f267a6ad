package io.ipsecd.ike.port;

import io.ipsecd.esp.SaStats;
import java.util.Optional;

/**
 * What IKE needs from whatever carries the packets, in the spirit of the kernel's XFRM contract:
 * install and delete SAs and policies, read an SA's usage, and hear about acquires and expiries.
 * The data plane's adapter in {@code cli} implements it; {@code ike} never sees the data plane.
 *
 * <p>Make-before-break is the caller's order: add the new inbound SA, then the new outbound SA,
 * then {@link #switchOutbound} on the policy, then delete the old SAs after a grace period.
 */
public interface IpsecPort {
    /** Installs one direction of a Child SA. The keys are the port's to keep and to zero on delete. */
    void addSa(ChildSaInstall sa) throws IpsecPortException;

    /** Deletes an SA and zeroes its keys. Deleting an SA that is gone already is not an error. */
    void deleteSa(SaId id);

    /** Installs or replaces the policy with this reqid. */
    void addPolicy(IpsecPolicy policy) throws IpsecPortException;

    /** Points the policy's outbound traffic at another installed SA, atomically (rekey). */
    void switchOutbound(int reqid, int outboundSpi) throws IpsecPortException;

    /**
     * Removes a policy. Traffic it matched is then dropped while any other policy still covers
     * it; the port never lets a once-protected flow leave in clear because of a missing SA.
     */
    void deletePolicy(int reqid);

    Optional<SaStats> usage(SaId id);

    /** Where acquires and expiries go; called from the data plane's threads, so hand off quickly. */
    void listen(PortListener listener);
}
