package io.ipsecd.dataplane;

/** The data plane refused a control request (SPI in use, no such policy, ...); the message says why. */
public final class DataplaneException extends Exception {
  public DataplaneException(String message) {
    super(message);
  }
}
