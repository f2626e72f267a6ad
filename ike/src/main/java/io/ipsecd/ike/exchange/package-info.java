/**
 * The IKEv2 exchange layer (RFC 7296), shaped like strongSwan's libcharon.
 *
 * <p><b>Structure.</b> {@link io.ipsecd.ike.exchange.Negotiator} owns every IKE SA and runs on one
 * {@link io.ipsecd.ike.sa.EventLoop}: it routes each datagram by SPI (or starts a responder SA for
 * an IKE_SA_INIT), and takes the daemon's up/down/rekey. Each {@code IkeSa} holds SPIs, role,
 * keys, message IDs and Child SAs, and runs a queue of tasks one at a time (window size 1): one
 * class per exchange, whose static {@code respond} is the responder side of the same exchange —
 * {@code IkeInitTask} (INVALID_KE_PAYLOAD retry, COOKIE echo, NAT detection), {@code IkeAuthTask}
 * (PSK or certificates, INITIAL_CONTACT, first child), {@code ChildCreateTask} (additional children with optional
 * PFS, and Child SA rekeying with REKEY_SA), {@code IkeRekeyTask}, {@code DeleteTask} (also answers
 * every INFORMATIONAL), {@code ChildDeleteTask}, {@code LivenessTask}. Child SAs reach the data plane
 * only through {@link io.ipsecd.ike.port.IpsecPort}: inbound SA, outbound SA, then the policy.
 *
 * <p><b>Choices.</b> A responder picks proposals in its own configured order. A responder narrows
 * selectors to its configuration and picks the child whose selectors match exactly and whose ESP
 * proposals match. Rekeying happens at 85-90% of the configured lifetimes, on both sides,
 * make-before-break: a Child SA rekey's initiator sends on the new SA as soon as it is answered,
 * its responder once the old SA's DELETE arrives, and an old inbound SA lives 2 s past its
 * deletion for packets in flight. Crossing exchanges follow RFC 7296 §2.8.1 and §2.25
 * ({@code Collisions}): of two simultaneous rekeys the lowest nonce loses and its maker deletes
 * the redundant SA; a rekey of an SA being deleted or replaced gets TEMPORARY_FAILURE (retried
 * 1-3 s later), of an unknown one CHILD_SA_NOT_FOUND; an IKE SA rekey while a Child SA exchange
 * is out gets TEMPORARY_FAILURE. NAT-T
 * floats to port 4500 when NAT detection (or a forced {@code encap}) says so; the translated side
 * sends keepalives every 20 s. Half-open responder SAs go after 30 s, at most 1000 are kept, and
 * from 30 on, IKE_SA_INIT needs a cookie.
 *
 * <p><b>Liveness.</b> {@code Liveness} checks a peer after {@code dpd.delay} without IKE or inbound
 * ESP from it, at once on unknown-SPI ESP or INVALID_SPI; no answer within {@code dpd.timeout}, or
 * any request given up on an established SA, means dead, and {@code dpd.action} restarts, traps or
 * clears its children. {@code Restarts} brings {@code start: start} children (and restarted ones)
 * back after any failure, 1 s after the first and doubling up to 60 s.
 *
 * <p><b>Admin messages</b> go to {@link io.ipsecd.ike.exchange.NegotiatorListener#failed} once per
 * failure, and name the peer and what to compare: "proposal mismatch: peer X offered [..], we
 * accept [..]", "traffic selectors: peer proposed A <-> B, configured C <-> D", "authentication
 * failed: PSK mismatch with X (id Y)", "peer X not answering: gave up after N retransmits (T s)".
 *
 * <p><b>IKE fragmentation (RFC 7383)</b> lives in {@code IkeFragments}, one per IKE SA. With
 * {@code ike.fragmentation} on, {@code IkeInitTask} offers FRAGMENTATION_SUPPORTED and the
 * responder answers it only to an offer; a rekeyed IKE SA inherits the outcome. Once both sent it,
 * {@code IkeSa} seals every protected message (never IKE_SA_INIT) with {@code
 * crypto.IkeFragmenter.split} instead of {@code SkCodec.seal} when the SK form exceeds {@code
 * ike.fragment_size} less IP, UDP and the port-4500 marker, caches and retransmits all fragments.
 * An inbound SKF message passes the message-ID checks first (a resent fragment of an answered
 * request resends the cached response only for fragment 1, §2.6.1), then the SA's {@code
 * crypto.FragmentReassembler}, which authenticates each fragment before keeping it and is rebuilt
 * when the inbound keys change (IKE_INTERMEDIATE); the complete message then takes the path of an
 * SK message.
 *
 * <p><b>Additional key exchanges of a new IKE SA (RFC 9370 §2.2.2, RFC 9242).</b> IKE proposals
 * carry {@code keN_} as transform types 6..12 ({@code Proposals}; a type one side leaves out counts
 * as NONE). When the chosen one has any, both sides sent INTERMEDIATE_EXCHANGE_SUPPORTED and
 * {@code IkeIntermediateTask} runs one IKE_INTERMEDIATE exchange per additional key exchange, in
 * type order, before IKE_AUTH; after each, {@code SaKeying.additional} computes SKEYSEED(n)
 * = prf(SK_d(n-1), SK(n) | Ni | Nr) and all SK_* anew (same SPIs), wiping the old ones; the
 * responder switches once its answer is sent. {@code IntermediateAuth} chains IntAuth_i/r over
 * every IKE_INTERMEDIATE message with the SK_p that protected it, and {@code SaKeying.signedOctets}
 * appends IntAuth_i | IntAuth_r | IKE_AUTH message ID, so every AUTH method covers them.
 *
 * <p><b>Additional key exchanges after CREATE_CHILD_SA (RFC 9370 §2.2.4).</b> When the chosen ESP
 * (PFS) or IKE rekey proposal has ADDKE transforms, {@code FollowupKeTask} runs one IKE_FOLLOWUP_KE
 * exchange per transform right after the CREATE_CHILD_SA, linked by the ADDITIONAL_KEY_EXCHANGE
 * notify; {@code FollowupKe.Responder} keeps the responder's unfinished chains (20 s at most,
 * STATE_NOT_FOUND for an unknown link). Nothing is installed or derived before the last one:
 * KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n)), and a rekeyed IKE SA's SKEYSEED =
 * prf(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n)). A refused follow-up gives the half-made SA up
 * with an admin message (a Child SA's SPI is DELETEd at the peer).
 *
 * <p><b>Certificates ({@code auth: pubkey}).</b> {@code PubkeyCredentials} parses each
 * connection's certificate, key, CA and CRL files when the connections are (re)loaded; a
 * connection whose files fail stays broken with its message (the others go on). {@code PubkeyAuth}
 * adds SIGNATURE_HASH_ALGORITHMS to IKE_SA_INIT, CERTREQ with the hashes of remote.cacerts (the
 * responder in its IKE_SA_INIT response, the initiator in IKE_AUTH, as strongSwan), our CERT chain
 * (always, whatever the peer asked for) and our signature AUTH over {@code SaKeying.signedOctets};
 * it checks the peer's chain, identity and signature with {@code auth.CertificateChainValidator}
 * and {@code auth.SignatureAuth}. An initiator that refuses the responder says so in an
 * INFORMATIONAL ({@code AuthFailedTask}); a responder told so drops its IKE SA. DN identities are
 * encoded in strongSwan's RDN order ({@code auth.DistinguishedNames}).
 *
 * <p><b>Not yet:</b> EAP (refused with AUTHENTICATION_FAILED), MOBIKE,
 * reauthentication with a new IKE_SA_INIT (an IKE SA rekey, with no gap, takes its place).
 * Lifetimes (soft and hard, by time, bytes and packets, with jitter) are in {@code Lifetimes}.
 */
package io.ipsecd.ike.exchange;
