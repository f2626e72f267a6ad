package io.ipsecd.cli.archfixture.ike;

import io.ipsecd.cli.archfixture.dataplane.SaTable;

/** Test fixture: an ike class that breaks the rule by reaching into the dataplane. */
public final class Negotiator {
  SaTable table = new SaTable();
}
