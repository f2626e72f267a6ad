package io.ipsecd.dataplane;

/**
 * What a policy points at right now: its outbound SA (null: none usable, so fail closed) and, for
 * TRAP policies, the hold queue, which survives rebinding so a rekey or the SA's arrival does not
 * lose held packets.
 */
record PolicyBinding(SaEntries.Outbound outbound, TrapQueue trap) {}
