package io.ipsecd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.cli.control.ControlProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Speaks the control protocol by hand, bytes and all, to test what a careless client may send. */
public final class RawControl implements AutoCloseable {
  private final SocketChannel channel;
  private final BufferedReader in;

  public RawControl(Path socket) throws IOException {
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
  }

  public JsonNode send(String line) throws IOException {
    var out = Channels.newOutputStream(channel);
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return readResponse();
  }

  public JsonNode readResponse() throws IOException {
    String response = in.readLine();
    return response == null ? null : ControlProtocol.JSON.readTree(response);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
