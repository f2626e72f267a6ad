package io.ipsecd.cli.ctl;

import io.ipsecd.cli.control.ControlProtocol;
import io.ipsecd.cli.control.ControlProtocol.Request;
import io.ipsecd.cli.control.ControlProtocol.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** One connection to the daemon's control socket. */
final class ControlClient implements AutoCloseable {
  private final Path socket;
  private final SocketChannel channel;
  private final BufferedReader in;
  private final OutputStream out;
  private int nextId = 1;

  private ControlClient(Path socket, SocketChannel channel) {
    this.socket = socket;
    this.channel = channel;
    this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    this.out = Channels.newOutputStream(channel);
  }

  static ControlClient connect(Path socket) throws CtlException {
    if (!Files.exists(socket)) {
      throw new CtlException(ExitCodes.NOT_RUNNING, "ipsecd is not running: no control socket at " + socket
          + " (start it with 'systemctl start ipsecd', or point --socket at the right path)");
    }
    try {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return new ControlClient(socket, channel);
    } catch (AccessDeniedException e) {
      throw denied(socket);
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("Permission denied")) {
        throw denied(socket);
      }
      throw new CtlException(ExitCodes.NOT_RUNNING, "ipsecd is not running: nothing answers on " + socket + " (" + why + ")");
    }
  }

  private static CtlException denied(Path socket) {
    return new CtlException(ExitCodes.DENIED, "permission denied on " + socket
        + ": run ipsecctl as root or as a member of the socket's group (global.control.group)");
  }

  /** Sends one request and returns its single response; an error response becomes a CtlException. */
  Response call(String command, Map<String, String> args) throws CtlException {
    send(command, args);
    return expectOk(read());
  }

  /** Sends a streaming request and hands every event to the consumer until the daemon closes. */
  void stream(String command, Consumer<Response> events) throws CtlException {
    send(command, Map.of());
    Response response;
    while ((response = readOrNull()) != null) {
      events.accept(expectOk(response));
    }
  }

  private void send(String command, Map<String, String> args) throws CtlException {
    Request request = Request.of(Integer.toString(nextId++), command, args);
    try {
      out.write((ControlProtocol.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private Response read() throws CtlException {
    Response response = readOrNull();
    if (response == null) {
      throw new CtlException(ExitCodes.NOT_RUNNING, "ipsecd closed the control connection on " + socket + " without answering");
    }
    return response;
  }

  private Response readOrNull() throws CtlException {
    try {
      String line = in.readLine();
      return line == null ? null : ControlProtocol.JSON.readValue(line, Response.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CtlException(ExitCodes.PROTOCOL, "ipsecd sent a response this ipsecctl cannot read; are both the same version?");
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private static Response expectOk(Response response) throws CtlException {
    if (response.ok()) {
      return response;
    }
    var error = response.error();
    if (error == null) {
      throw new CtlException(ExitCodes.PROTOCOL, "ipsecd sent a response with neither result nor error");
    }
    int code = switch (error.code()) {
      case DENIED -> ExitCodes.DENIED;
      case UNSUPPORTED_VERSION, INTERNAL -> ExitCodes.PROTOCOL;
      case BAD_REQUEST, UNKNOWN_COMMAND -> ExitCodes.USAGE;
      case NOT_FOUND, CONFIG_INVALID, FAILED -> ExitCodes.FAILED;
    };
    throw new CtlException(code, error.message(), error.details());
  }

  private CtlException lost(IOException e) {
    return new CtlException(ExitCodes.NOT_RUNNING, "lost the connection to ipsecd on " + socket + ": " + e.getMessage());
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a socket we are done with: nothing to report.
    }
  }
}
