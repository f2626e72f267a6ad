package io.ipsecd.cli.control;

import io.ipsecd.cli.control.ControlProtocol.ErrorCode;
import io.ipsecd.cli.control.ControlProtocol.Request;
import io.ipsecd.cli.control.ControlProtocol.Response;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix domain control socket: mode 0660, an optional group, and a check of every caller's
 * credentials (SO_PEERCRED) against the {@link AccessPolicy} before a byte of its request is read.
 * One virtual thread per connection; a bad request is answered with an error, never a crash.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("ctl");

  private final Path socketPath;
  private static final int CONNECT_BACKLOG = 1024;
  private final Optional<String> group;
  private final ControlHandler handler;
  private volatile AccessPolicy policy;
  private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private ServerSocketChannel server;
  private Thread acceptor;

  public ControlServer(Path socketPath, Optional<String> group, AccessPolicy policy, ControlHandler handler) {
    this.socketPath = socketPath;
    this.group = group;
    this.policy = policy;
    this.handler = handler;
  }

  public void start() throws IOException {
    Path dir = socketPath.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x--x"));
    }
    if (Files.exists(socketPath)) {
      if (someoneListens(socketPath)) {
        throw new IOException("another ipsecd is already listening on " + socketPath + "; stop it or use --socket");
      }
      Files.delete(socketPath);
    }
    // Bound under a temporary name and renamed once its mode and group are right, so that no
    // caller ever sees the socket with the umask's mode or the wrong group.
    Path staging = socketPath.resolveSibling(socketPath.getFileName() + ".new-" + ProcessHandle.current().pid());
    Files.deleteIfExists(staging);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    // A burst of callers (a script bringing 100 tunnels up at once) overflowed the default backlog:
    // the kernel refused the excess connections. The kernel caps this at net.core.somaxconn.
    server.bind(UnixDomainSocketAddress.of(staging), CONNECT_BACKLOG);
    try {
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-rw----"));
      if (group.isPresent()) {
        setGroup(staging, group.get());
      }
      Files.move(staging, socketPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      server.close();
      server = null;
      Files.deleteIfExists(staging);
      throw e;
    }
    acceptor = Thread.ofPlatform().name("ctl-accept").daemon(true).start(this::acceptLoop);
    log.info("control socket listening on {} (mode 0660{}; allowed: {})", socketPath,
        group.map(g -> ", group " + g).orElse(""), policy.describe());
  }

  private static void setGroup(Path file, String group) throws IOException {
    try {
      GroupPrincipal principal = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
      Files.setAttribute(file, "posix:group", principal);
    } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
      throw new IOException("group '" + group + "' (global.control.group) does not exist; create it with "
          + "'groupadd --system " + group + "' or change the config");
    }
  }

  public void updatePolicy(AccessPolicy newPolicy) {
    this.policy = newPolicy;
  }

  public long requestsServed() {
    return requests.get();
  }

  public long callersRefused() {
    return refused.get();
  }

  private static boolean someoneListens(Path path) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        clients.add(client);
        Thread.ofVirtual().name("ctl-client").start(() -> serve(client));
      } catch (IOException e) {
        if (server.isOpen()) {
          log.warn("control socket {}: accept failed: {}", socketPath, e.getMessage());
        }
      }
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      CallerIdentity caller = identify(client);
      OutputStream out = Channels.newOutputStream(client);
      if (caller == null || !policy.allows(caller)) {
        refused.incrementAndGet();
        String who = caller == null ? "an unidentified caller" : "user " + caller.user() + " (group " + caller.group() + ")";
        log.warn("control socket: refused {}: allowed are {}; add it to global.control.allowed_users or allowed_groups", who, policy.describe());
        write(out, Response.error(null, ErrorCode.DENIED,
            "permission denied: " + who + " may not use the ipsecd control socket", null));
        discardUnread(client);
        return;
      }
      InputStream in = new BufferedInputStream(Channels.newInputStream(client));
      try (Streams streams = new Streams()) {
        String line;
        while ((line = readLine(in, out)) != null) {
          if (line.isBlank()) {
            continue;
          }
          requests.incrementAndGet();
          streams.add(handleLine(line, caller, out));
        }
      }
    } catch (IOException e) {
      log.debug("control client went away: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("control request failed unexpectedly", e);
    } finally {
      clients.remove(client);
    }
  }

  private AutoCloseable handleLine(String line, CallerIdentity caller, OutputStream out) throws IOException {
    Request request;
    try {
      request = ControlProtocol.JSON.readValue(line, Request.class);
    } catch (IOException e) {
      write(out, Response.error(null, ErrorCode.BAD_REQUEST,
          "malformed request: expected one JSON object per line with version, id, command and args", null));
      return null;
    }
    if (request.version() != ControlProtocol.VERSION) {
      write(out, Response.error(request.id(), ErrorCode.UNSUPPORTED_VERSION,
          "protocol version " + request.version() + " is not supported; this daemon speaks version " + ControlProtocol.VERSION, null));
      return null;
    }
    if (request.command() == null || request.command().isBlank()) {
      write(out, Response.error(request.id(), ErrorCode.BAD_REQUEST, "malformed request: no command", null));
      return null;
    }
    log.debug("control: {} from {}", request.command(), caller);
    return handler.handle(request, caller, response -> write(out, response));
  }

  /** Streams (monitor subscriptions) that a connection opened; they end when the client hangs up. */
  private static final class Streams implements AutoCloseable {
    private final java.util.List<AutoCloseable> open = new java.util.ArrayList<>();

    void add(AutoCloseable stream) {
      if (stream != null) {
        open.add(stream);
      }
    }

    @Override
    public void close() {
      for (AutoCloseable stream : open) {
        try {
          stream.close();
        } catch (Exception e) {
          log.debug("closing a control stream: {}", e.getMessage());
        }
      }
    }
  }

  /** Reads one request line, or returns null at end of stream. Refuses lines over the limit. */
  private static String readLine(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (line.size() >= ControlProtocol.MAX_REQUEST_BYTES) {
        write(out, Response.error(null, ErrorCode.BAD_REQUEST,
            "request longer than " + ControlProtocol.MAX_REQUEST_BYTES + " bytes refused", null));
        throw new IOException("oversized request");
      }
      line.write(b);
    }
    if (b == -1 && line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /**
   * Closing a Unix socket with unread data resets it, and the refused caller would see "connection
   * reset" instead of our answer. So swallow what it sent, bounded in bytes and time.
   */
  private static void discardUnread(SocketChannel client) throws IOException {
    client.shutdownOutput();
    client.configureBlocking(false);
    java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
    long total = 0;
    while (System.nanoTime() < deadline && total < ControlProtocol.MAX_REQUEST_BYTES) {
      sink.clear();
      int n = client.read(sink);
      if (n < 0) {
        return;
      }
      total += n;
      if (n == 0) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static CallerIdentity identify(SocketChannel client) {
    try {
      UnixDomainPrincipal principal = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
      return new CallerIdentity(principal.user().getName(), principal.group().getName());
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  static void write(OutputStream out, Response response) throws IOException {
    byte[] line = (ControlProtocol.encode(response) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(line);
      out.flush();
    }
  }

  @Override
  public void close() {
    try {
      if (server == null) {
        return; // never bound: the socket file, if any, is someone else's
      }
      server.close();
      for (SocketChannel client : clients) {
        client.close();
      }
      Files.deleteIfExists(socketPath);
    } catch (IOException e) {
      log.warn("control socket {}: cleanup failed: {}", socketPath, e.getMessage());
    }
    if (acceptor != null) {
      try {
        acceptor.join(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
