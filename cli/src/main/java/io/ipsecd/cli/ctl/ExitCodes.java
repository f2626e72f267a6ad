package io.ipsecd.cli.ctl;

/** ipsecctl's exit codes, listed in its --help and man page. */
final class ExitCodes {
  static final int OK = 0;
  /** The daemon did the request and it failed: unknown connection, invalid config, negotiation error. */
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_RUNNING = 3;
  static final int DENIED = 4;
  static final int PROTOCOL = 5;

  private ExitCodes() {}
}
