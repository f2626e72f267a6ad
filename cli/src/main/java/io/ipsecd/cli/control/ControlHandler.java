package io.ipsecd.cli.control;

import io.ipsecd.cli.control.ControlProtocol.Request;
import io.ipsecd.cli.control.ControlProtocol.Response;
import java.io.IOException;

/**
 * Answers control requests. Responses go to the sink. A request that opens a stream
 * ({@code monitor}) returns a handle that the server closes when the client hangs up; every other
 * request returns null.
 */
public interface ControlHandler {
  AutoCloseable handle(Request request, CallerIdentity caller, ResponseSink sink) throws IOException;

  @FunctionalInterface
  interface ResponseSink {
    void send(Response response) throws IOException;
  }
}
