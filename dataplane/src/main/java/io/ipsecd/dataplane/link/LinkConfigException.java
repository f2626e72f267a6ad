package io.ipsecd.dataplane.link;

import java.io.IOException;

/** An interface configuration step failed; the message names the step and the tool's own words. */
public final class LinkConfigException extends IOException {
  private static final long serialVersionUID = 1L;

  public LinkConfigException(String message) {
    super(message);
  }

  public LinkConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
