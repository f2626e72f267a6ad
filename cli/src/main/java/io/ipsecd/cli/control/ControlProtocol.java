package io.ipsecd.cli.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * The control socket protocol, version 1: one JSON object per line in each direction.
 * See docs/control-protocol.md. A request gets exactly one response, except {@code monitor},
 * whose responses are events until the client closes the connection.
 */
public final class ControlProtocol {
  public static final int VERSION = 1;
  /** Longest request line the daemon reads; a longer one is refused, not buffered. */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  public static final ObjectMapper JSON = JsonMapper.builder()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .findAndAddModules()
      .build();

  private ControlProtocol() {}

  public record Request(int version, String id, String command, Map<String, String> args) {
    public Request {
      args = args == null ? Map.of() : Map.copyOf(args);
    }

    public static Request of(String id, String command, Map<String, String> args) {
      return new Request(VERSION, id, command, args);
    }

    public String arg(String name) {
      return args.get(name);
    }
  }

  /** kind is "result", "error" or "event". */
  public record Response(int version, String id, String kind, JsonNode result, ErrorInfo error) {
    public Response {
      result = result == null || result.isNull() ? null : result;
    }

    public static Response result(String id, Object value) {
      return new Response(VERSION, id, "result", JSON.valueToTree(value), null);
    }

    public static Response event(String id, Object value) {
      return new Response(VERSION, id, "event", JSON.valueToTree(value), null);
    }

    public static Response error(String id, ErrorCode code, String message, java.util.List<String> details) {
      return new Response(VERSION, id, "error", null, new ErrorInfo(code, message, details));
    }

    public boolean ok() {
      return "result".equals(kind) || "event".equals(kind);
    }
  }

  public record ErrorInfo(ErrorCode code, String message, java.util.List<String> details) {
    public ErrorInfo {
      details = details == null ? java.util.List.of() : java.util.List.copyOf(details);
    }
  }

  /** Stable, documented error codes; ipsecctl maps them to exit codes. */
  public enum ErrorCode {
    BAD_REQUEST, UNSUPPORTED_VERSION, UNKNOWN_COMMAND, NOT_FOUND, CONFIG_INVALID, FAILED, DENIED, INTERNAL
  }

  public static String encode(Object message) {
    try {
      return JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode control message " + message.getClass().getSimpleName(), e);
    }
  }
}
