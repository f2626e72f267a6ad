package io.ipsecd.cli.ctl;

import java.util.List;

/** A failure ipsecctl reports in one line (plus details), with its exit code. */
final class CtlException extends Exception {
  private final int exitCode;
  private final List<String> details;

  CtlException(int exitCode, String message) {
    this(exitCode, message, List.of());
  }

  CtlException(int exitCode, String message, List<String> details) {
    super(message);
    this.exitCode = exitCode;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  int exitCode() {
    return exitCode;
  }

  List<String> details() {
    return details;
  }
}
