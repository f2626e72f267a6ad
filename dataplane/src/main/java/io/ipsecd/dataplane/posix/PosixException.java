package io.ipsecd.dataplane.posix;

import java.io.IOException;

/**
 * A failed system call: what we tried, the errno the kernel gave, and (when we know one) what the
 * operator should check, e.g.
 * {@code cannot open /dev/net/tun: Permission denied (EACCES): run as root or grant CAP_NET_ADMIN}.
 */
public final class PosixException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public PosixException(String action, int errno, String hint) {
    super(action + ": " + Errno.describe(errno) + (hint == null || hint.isEmpty() ? "" : ": " + hint));
    this.errno = errno;
  }

  public PosixException(String action, int errno) {
    this(action, errno, null);
  }

  public int errno() {
    return errno;
  }
}
