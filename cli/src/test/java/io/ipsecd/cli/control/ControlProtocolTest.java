package io.ipsecd.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.cli.DaemonProcess;
import io.ipsecd.cli.RawControl;
import io.ipsecd.cli.control.ControlProtocol.ErrorCode;
import io.ipsecd.cli.control.ControlProtocol.Request;
import io.ipsecd.cli.control.ControlProtocol.Response;
import io.ipsecd.cli.tunnel.Views;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlProtocolTest {
  @TempDir static Path dir;
  static DaemonProcess daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = new DaemonProcess(dir);
    daemon.writeConfig(DaemonProcess.config(dir, "")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  @Test
  void requestAndResponsesRoundTripThroughJson() throws Exception {
    Request request = Request.of("7", "up", Map.of("name", "azure-vnet/vnet"));
    assertThat(ControlProtocol.JSON.readValue(ControlProtocol.encode(request), Request.class)).isEqualTo(request);
    assertThat(ControlProtocol.encode(request))
        .isEqualTo("{\"version\":1,\"id\":\"7\",\"command\":\"up\",\"args\":{\"name\":\"azure-vnet/vnet\"}}");

    Response error = Response.error("7", ErrorCode.CONFIG_INVALID, "bad", List.of("a.yaml:1:1: x: y"));
    assertThat(ControlProtocol.JSON.readValue(ControlProtocol.encode(error), Response.class)).isEqualTo(error);

    var status = new Views.StatusReport(List.of(new Views.ConnectionStatus("c", "down", "192.0.2.1:500", "a",
        "192.0.2.2:500", "b", List.of("aes256gcm16-prfsha384-ecp384"), List.of(),
        new Views.LastError("boom", Instant.parse("2026-11-28T12:00:00Z")))), new Views.Summary(1, 0, 0, 0));
    Response result = Response.result("8", status);
    Response decoded = ControlProtocol.JSON.readValue(ControlProtocol.encode(result), Response.class);
    assertThat(ControlProtocol.JSON.treeToValue(decoded.result(), Views.StatusReport.class)).isEqualTo(status);
    assertThat(ControlProtocol.encode(result)).contains("\"at\":\"2026-11-28T12:00:00Z\"");
  }

  @Test
  void readersIgnoreFieldsAddedByALaterMinorVersion() throws Exception {
    Request r = ControlProtocol.JSON.readValue(
        "{\"version\":1,\"id\":\"1\",\"command\":\"status\",\"args\":{},\"priority\":\"high\"}", Request.class);
    assertThat(r.command()).isEqualTo("status");
  }

  @Test
  void answersEveryRequestOnOneConnectionInOrder() throws Exception {
    try (RawControl raw = new RawControl(daemon.socket)) {
      assertThat(raw.send("{\"version\":1,\"id\":\"a\",\"command\":\"version\"}").at("/result/version").asText())
          .isEqualTo("0.1.0");
      JsonNode status = raw.send("{\"version\":1,\"id\":\"b\",\"command\":\"status\",\"args\":{}}");
      assertThat(status.get("id").asText()).isEqualTo("b");
      assertThat(status.at("/result/summary/configured").asInt()).isEqualTo(2);
    }
  }

  @Test
  void malformedJsonIsABadRequestAndTheConnectionStaysUsable() throws Exception {
    try (RawControl raw = new RawControl(daemon.socket)) {
      JsonNode bad = raw.send("{\"version\":1, \"command\": status}");
      assertThat(bad.get("kind").asText()).isEqualTo("error");
      assertThat(bad.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
      assertThat(bad.at("/error/message").asText())
          .isEqualTo("malformed request: expected one JSON object per line with version, id, command and args");
      assertThat(raw.send("{\"version\":1,\"id\":\"2\",\"command\":\"version\"}").get("kind").asText()).isEqualTo("result");
    }
  }

  @Test
  void refusesOtherProtocolVersionsUnknownCommandsAndMissingArguments() throws Exception {
    try (RawControl raw = new RawControl(daemon.socket)) {
      JsonNode v2 = raw.send("{\"version\":2,\"id\":\"1\",\"command\":\"status\"}");
      assertThat(v2.at("/error/code").asText()).isEqualTo("UNSUPPORTED_VERSION");
      assertThat(v2.at("/error/message").asText())
          .isEqualTo("protocol version 2 is not supported; this daemon speaks version 1");
      JsonNode unknown = raw.send("{\"version\":1,\"id\":\"2\",\"command\":\"selfdestruct\"}");
      assertThat(unknown.at("/error/code").asText()).isEqualTo("UNKNOWN_COMMAND");
      assertThat(unknown.at("/error/message").asText()).startsWith("unknown command 'selfdestruct'; known: status, list-sas");
      JsonNode noName = raw.send("{\"version\":1,\"id\":\"3\",\"command\":\"up\"}");
      assertThat(noName.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
      assertThat(noName.at("/error/message").asText())
          .isEqualTo("up needs args.name: a connection name, optionally NAME/CHILD");
      JsonNode noCommand = raw.send("{\"version\":1,\"id\":\"4\"}");
      assertThat(noCommand.at("/error/message").asText()).isEqualTo("malformed request: no command");
    }
  }

  @Test
  void anOversizedRequestIsRefusedAndTheDaemonServesOthers() throws Exception {
    try (RawControl raw = new RawControl(daemon.socket)) {
      JsonNode refused = raw.send("x".repeat(ControlProtocol.MAX_REQUEST_BYTES + 10));
      assertThat(refused.at("/error/message").asText()).isEqualTo("request longer than 65536 bytes refused");
    }
    try (RawControl raw = new RawControl(daemon.socket)) {
      assertThat(raw.send("{\"version\":1,\"id\":\"1\",\"command\":\"version\"}").get("kind").asText()).isEqualTo("result");
    }
  }
}
