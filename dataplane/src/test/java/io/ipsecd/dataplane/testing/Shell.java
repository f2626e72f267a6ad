package io.ipsecd.dataplane.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command for test setup and checks; bounded to 10 s. */
public final class Shell {
  private Shell() {}

  public record Result(int exit, String out, String err) {
    public Result orThrow(List<String> command) {
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "): " + err);
      }
      return this;
    }
  }

  public static Result run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 10 s");
      }
      return new Result(p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String check(String... command) {
    return run(command).orThrow(List.of(command)).out();
  }
}
