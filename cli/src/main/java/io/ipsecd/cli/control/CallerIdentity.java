package io.ipsecd.cli.control;

/** Who is on the other end of a control connection, as the kernel reports it (SO_PEERCRED). */
public record CallerIdentity(String user, String group) {
  @Override
  public String toString() {
    return user + ":" + group;
  }
}
