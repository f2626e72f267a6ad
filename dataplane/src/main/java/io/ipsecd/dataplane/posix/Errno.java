package io.ipsecd.dataplane.posix;

import java.util.Map;

/**
 * Linux errno values the data plane meets, with their symbolic names and the C library's wording,
 * so that error messages read like {@code Permission denied (EACCES)} rather than a bare number.
 * Values are those of the generic Linux ABI (x86-64 and arm64 share them).
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int ENOTTY = 25;
  public static final int ESRCH = 3;
  public static final int EBADFD = 77;
  public static final int EMSGSIZE = 90;
  public static final int EPROTONOSUPPORT = 93;
  public static final int EAFNOSUPPORT = 97;
  public static final int EADDRINUSE = 98;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENETDOWN = 100;
  public static final int ENETUNREACH = 101;
  public static final int ENOBUFS = 105;
  public static final int ECONNREFUSED = 111;
  public static final int EHOSTUNREACH = 113;

  private record Entry(String name, String text) {}

  private static final Map<Integer, Entry> KNOWN = Map.ofEntries(
      Map.entry(EPERM, new Entry("EPERM", "Operation not permitted")),
      Map.entry(ENOENT, new Entry("ENOENT", "No such file or directory")),
      Map.entry(ESRCH, new Entry("ESRCH", "No such process")),
      Map.entry(EINTR, new Entry("EINTR", "Interrupted system call")),
      Map.entry(EIO, new Entry("EIO", "Input/output error")),
      Map.entry(EBADF, new Entry("EBADF", "Bad file descriptor")),
      Map.entry(EAGAIN, new Entry("EAGAIN", "Resource temporarily unavailable")),
      Map.entry(ENOMEM, new Entry("ENOMEM", "Cannot allocate memory")),
      Map.entry(EACCES, new Entry("EACCES", "Permission denied")),
      Map.entry(EFAULT, new Entry("EFAULT", "Bad address")),
      Map.entry(EBUSY, new Entry("EBUSY", "Device or resource busy")),
      Map.entry(EEXIST, new Entry("EEXIST", "File exists")),
      Map.entry(ENODEV, new Entry("ENODEV", "No such device")),
      Map.entry(EINVAL, new Entry("EINVAL", "Invalid argument")),
      Map.entry(EMFILE, new Entry("EMFILE", "Too many open files")),
      Map.entry(ENOTTY, new Entry("ENOTTY", "Inappropriate ioctl for device")),
      Map.entry(EBADFD, new Entry("EBADFD", "File descriptor in bad state")),
      Map.entry(EMSGSIZE, new Entry("EMSGSIZE", "Message too long")),
      Map.entry(EPROTONOSUPPORT, new Entry("EPROTONOSUPPORT", "Protocol not supported")),
      Map.entry(EAFNOSUPPORT, new Entry("EAFNOSUPPORT", "Address family not supported by protocol")),
      Map.entry(EADDRINUSE, new Entry("EADDRINUSE", "Address already in use")),
      Map.entry(EADDRNOTAVAIL, new Entry("EADDRNOTAVAIL", "Cannot assign requested address")),
      Map.entry(ENETDOWN, new Entry("ENETDOWN", "Network is down")),
      Map.entry(ENETUNREACH, new Entry("ENETUNREACH", "Network is unreachable")),
      Map.entry(ENOBUFS, new Entry("ENOBUFS", "No buffer space available")),
      Map.entry(ECONNREFUSED, new Entry("ECONNREFUSED", "Connection refused")),
      Map.entry(EHOSTUNREACH, new Entry("EHOSTUNREACH", "No route to host")));

  private Errno() {}

  /** The symbolic name, e.g. {@code EACCES}, or {@code errno 42} for values not listed here. */
  public static String name(int errno) {
    Entry e = KNOWN.get(errno);
    return e != null ? e.name() : "errno " + errno;
  }

  /** {@code Permission denied (EACCES)}; unknown values read {@code Unknown error (errno 42)}. */
  public static String describe(int errno) {
    Entry e = KNOWN.get(errno);
    return e != null ? e.text() + " (" + e.name() + ")" : "Unknown error (errno " + errno + ")";
  }
}
