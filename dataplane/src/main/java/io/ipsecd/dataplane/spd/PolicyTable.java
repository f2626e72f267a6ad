package io.ipsecd.dataplane.spd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable security policy database: policies with the state the data plane binds to each
 * ({@code B}: the outbound SA and trap queue), and their selector pairs sorted most specific first
 * so that an outbound lookup is the first rule that matches.
 *
 * <p>"Most specific" orders by the remote selector's address count, then the local one's, then a
 * named protocol before any, then the narrower remote and local port ranges, then the policy id
 * (so the order is total and lookups are deterministic). A rule that another rule covers therefore
 * always comes first. Lookups scan linearly: a gateway has a handful of children, and the scan
 * touches no shared mutable state. A trie is the step up if that ever stops being true.
 */
public final class PolicyTable<B> {
  /** One policy and what the data plane bound to it. */
  public static final class Entry<B> {
    private final Policy policy;
    private final B binding;
    private final SelectorMatcher[] locals;
    private final SelectorMatcher[] remotes;

    private Entry(Policy policy, B binding) {
      this.policy = policy;
      this.binding = binding;
      this.locals = policy.local().stream().map(SelectorMatcher::new).toArray(SelectorMatcher[]::new);
      this.remotes = policy.remote().stream().map(SelectorMatcher::new).toArray(SelectorMatcher[]::new);
    }

    private Entry(Entry<B> old, B binding) {
      this.policy = old.policy;
      this.binding = binding;
      this.locals = old.locals;
      this.remotes = old.remotes;
    }

    public Policy policy() {
      return policy;
    }

    public B binding() {
      return binding;
    }

    /** Inbound check (RFC 4301 §5.2): a decrypted packet must come from remote and go to local. */
    public boolean allowsInbound(FlowKey key) {
      return anyMatches(remotes, key, true) && anyMatches(locals, key, false);
    }

    private static boolean anyMatches(SelectorMatcher[] matchers, FlowKey key, boolean source) {
      for (SelectorMatcher m : matchers) {
        if (source ? m.matchesSource(key) : m.matchesDestination(key)) {
          return true;
        }
      }
      return false;
    }
  }

  private record Rule<B>(Entry<B> entry, SelectorMatcher local, SelectorMatcher remote, int interfaceId) {
    Rule(Entry<B> entry, SelectorMatcher local, SelectorMatcher remote) {
      this(entry, local, remote, entry.policy.interfaceId());
    }
  }

  private static final Comparator<Rule<?>> MOST_SPECIFIC_FIRST = Comparator
      .<Rule<?>, java.math.BigInteger>comparing(r -> r.remote.addressCount)
      .thenComparing(r -> r.local.addressCount)
      .thenComparing(r -> r.remote.anyProtocol() || r.local.anyProtocol())
      .thenComparingInt(r -> r.remote.portSpan())
      .thenComparingInt(r -> r.local.portSpan())
      .thenComparingInt(r -> r.entry.policy.id());

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final PolicyTable<?> EMPTY = new PolicyTable(IntMap.empty(), new Rule[0]);

  private final IntMap<Entry<B>> byId;
  private final Rule<B>[] rules;

  private PolicyTable(IntMap<Entry<B>> byId, Rule<B>[] rules) {
    this.byId = byId;
    this.rules = rules;
  }

  @SuppressWarnings("unchecked")
  public static <B> PolicyTable<B> empty() {
    return (PolicyTable<B>) EMPTY;
  }

  /** {@link #lookupOutbound(FlowKey, int)} on the main interface. */
  public Entry<B> lookupOutbound(FlowKey key) {
    return lookupOutbound(key, Policy.MAIN_INTERFACE);
  }

  /**
   * The most specific policy of {@code interfaceId} whose local selectors hold the source and
   * remote ones the destination. Policies of other interfaces never match: the interface a packet
   * came from is part of the lookup, as routing put it there.
   */
  public Entry<B> lookupOutbound(FlowKey key, int interfaceId) {
    for (Rule<B> rule : rules) {
      if (rule.interfaceId == interfaceId && rule.local.matchesSource(key) && rule.remote.matchesDestination(key)) {
        return rule.entry;
      }
    }
    return null;
  }

  public Entry<B> byId(int id) {
    return byId.get(id);
  }

  public List<Entry<B>> entries() {
    return byId.values();
  }

  /** A copy with {@code policy} added, or replacing the one with the same id. */
  public PolicyTable<B> with(Policy policy, B binding) {
    Objects.requireNonNull(policy, "policy");
    return rebuild(byId.with(policy.id(), new Entry<>(policy, binding)));
  }

  /** A copy where the policy {@code id} keeps its selectors and gets {@code binding}. */
  public PolicyTable<B> rebind(int id, B binding) {
    Entry<B> old = byId.get(id);
    if (old == null) {
      throw new IllegalArgumentException("no policy " + id);
    }
    return rebuild(byId.with(id, new Entry<>(old, binding)));
  }

  public PolicyTable<B> without(int id) {
    IntMap<Entry<B>> remaining = byId.without(id);
    return remaining == byId ? this : rebuild(remaining);
  }

  @SuppressWarnings("unchecked")
  private static <B> PolicyTable<B> rebuild(IntMap<Entry<B>> byId) {
    List<Rule<B>> rules = new ArrayList<>();
    byId.forEach((id, entry) -> {
      for (SelectorMatcher local : entry.locals) {
        for (SelectorMatcher remote : entry.remotes) {
          if (local.selector.ipv4() == remote.selector.ipv4()) { // a cross-family pair matches nothing
            rules.add(new Rule<>(entry, local, remote));
          }
        }
      }
    });
    Rule<B>[] sorted = rules.toArray(Rule[]::new);
    Arrays.sort(sorted, MOST_SPECIFIC_FIRST);
    return new PolicyTable<>(byId, sorted);
  }
}
