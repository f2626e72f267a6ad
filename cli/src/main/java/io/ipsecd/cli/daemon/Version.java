package io.ipsecd.cli.daemon;

/** The version both ipsecd and ipsecctl report. */
public final class Version {
  public static final String VERSION = "0.1.0";

  private Version() {}
}
