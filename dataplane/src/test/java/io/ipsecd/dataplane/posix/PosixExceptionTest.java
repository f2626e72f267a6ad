package io.ipsecd.dataplane.posix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PosixExceptionTest {
  @Test
  void saysWhatFailedTheErrnoByNameAndWhatToDo() {
    PosixException e = new PosixException("cannot open /dev/net/tun", Errno.EACCES,
        "run as root or grant CAP_NET_ADMIN");
    assertThat(e).hasMessage(
        "cannot open /dev/net/tun: Permission denied (EACCES): run as root or grant CAP_NET_ADMIN");
    assertThat(e.errno()).isEqualTo(13);
  }

  @Test
  void withoutAHintEndsAtTheErrno() {
    assertThat(new PosixException("read from TUN x failed", Errno.EBADFD))
        .hasMessage("read from TUN x failed: File descriptor in bad state (EBADFD)");
  }

  @Test
  void unknownErrnoValuesStayReadable() {
    assertThat(Errno.describe(4095)).isEqualTo("Unknown error (errno 4095)");
    assertThat(Errno.name(4095)).isEqualTo("errno 4095");
  }

  @Test
  void errnoIsCapturedPerCall() {
    assertThat(Libc.close(-1)).isEqualTo(-1);
    assertThat(Libc.lastErrno()).isEqualTo(Errno.EBADF);
    assertThat(Libc.open("/nonexistent/ipsecd-test", Libc.O_RDWR)).isEqualTo(-1);
    assertThat(Libc.lastErrno()).isEqualTo(Errno.ENOENT);
  }
}
