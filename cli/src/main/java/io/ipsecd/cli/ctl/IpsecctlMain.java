package io.ipsecd.cli.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.cli.control.ControlProtocol;
import io.ipsecd.cli.daemon.Version;
import io.ipsecd.cli.tunnel.DaemonEvent;
import io.ipsecd.cli.tunnel.Views;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/** {@code ipsecctl}: talks to the running ipsecd over its control socket. */
@Command(name = "ipsecctl", mixinStandardHelpOptions = true, versionProvider = IpsecctlMain.ClientVersion.class,
    description = "Control and inspect a running ipsecd.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:success", "1:the daemon refused or failed the request (unknown name, config errors, negotiation failed)",
        "2:bad arguments", "3:ipsecd is not running or not reachable", "4:permission denied on the control socket",
        "5:protocol error (ipsecd and ipsecctl versions differ?)"},
    subcommands = {IpsecctlMain.Status.class, IpsecctlMain.ListSas.class, IpsecctlMain.ListCerts.class, IpsecctlMain.Up.class, IpsecctlMain.Down.class,
        IpsecctlMain.Rekey.class, IpsecctlMain.Reload.class, IpsecctlMain.Stats.class, IpsecctlMain.Monitor.class,
        IpsecctlMain.VersionCmd.class, AutoComplete.GenerateCompletion.class, ManPageGenerator.class})
public final class IpsecctlMain {
  @Option(names = "--socket", paramLabel = "PATH", scope = CommandLine.ScopeType.INHERIT,
      description = "control socket of the daemon (default: ${DEFAULT-VALUE})")
  Path socket = Path.of("/run/ipsecd/ipsecd.sock");

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new IpsecctlMain());
    cmd.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
    cmd.getSubcommands().get("gen-manpage").getCommandSpec().usageMessage().hidden(true);
    return cmd;
  }

  /** Runs one request: prints the result, or the error in one line, and returns the exit code. */
  @Command
  abstract static class Request implements Callable<Integer> {
    @ParentCommand IpsecctlMain parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract String command();

    Map<String, String> args() {
      return Map.of();
    }

    abstract void print(JsonNode result, PrintWriter out) throws JsonProcessingException;

    boolean json() {
      return false;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (ControlClient client = ControlClient.connect(parent.socket)) {
        JsonNode result = client.call(command(), args()).result();
        if (json()) {
          out.println(ControlProtocol.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
          print(result, out);
        }
        out.flush();
        return ExitCodes.OK;
      } catch (CtlException e) {
        return report(e, err);
      } catch (JsonProcessingException e) {
        err.println("ipsecctl: cannot read ipsecd's answer to " + command() + "; are ipsecd and ipsecctl the same version?");
        return ExitCodes.PROTOCOL;
      }
    }
  }

  static int report(CtlException e, PrintWriter err) {
    err.println("ipsecctl: " + e.getMessage());
    e.details().forEach(d -> err.println("  " + d));
    err.flush();
    return e.exitCode();
  }

  static class JsonOption {
    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;
  }

  /** A request whose answer can be printed as text or, with --json, as JSON. */
  @Command
  abstract static class Listing extends Request {
    @Mixin JsonOption format;

    @Override
    boolean json() {
      return format.json;
    }
  }

  @Command(name = "status", description = "Every configured connection and child with its state and last error.")
  static final class Status extends Listing {
    String command() { return "status"; }

    void print(JsonNode result, PrintWriter out) throws JsonProcessingException {
      TextFormat.status(ControlProtocol.JSON.treeToValue(result, Views.StatusReport.class), out);
    }
  }

  @Command(name = "list-sas", description = "IKE and Child SAs with SPIs, algorithms, counters and selectors.")
  static final class ListSas extends Listing {
    String command() { return "list-sas"; }

    void print(JsonNode result, PrintWriter out) throws JsonProcessingException {
      TextFormat.sas(ControlProtocol.JSON.treeToValue(result, Views.SaList.class), out);
    }
  }

  @Command(name = "list-certs", description = "Certificates of every connection (own, intermediates, trusted CAs) with "
      + "validity and days to expiry.")
  static final class ListCerts extends Listing {
    String command() { return "list-certs"; }

    void print(JsonNode result, PrintWriter out) throws JsonProcessingException {
      TextFormat.certificates(ControlProtocol.JSON.treeToValue(result, Views.CertificateList.class), out);
    }
  }

  @Command
  abstract static class Action extends Request {
    @Parameters(paramLabel = "NAME[/CHILD]", description = "a connection, or one child of it")
    String name;

    Map<String, String> args() { return Map.of("name", name); }

    void print(JsonNode result, PrintWriter out) {
      out.println(result.path("message").asText());
    }
  }

  @Command(name = "up", description = "Bring a connection or one child up.")
  static final class Up extends Action {
    String command() { return "up"; }
  }

  @Command(name = "down", description = "Bring a connection or one child down.")
  static final class Down extends Action {
    String command() { return "down"; }
  }

  @Command(name = "rekey", description = "Rekey the IKE SA of a connection, or one child's SA.")
  static final class Rekey extends Action {
    String command() { return "rekey"; }
  }

  @Command(name = "reload", description = "Re-read the config; a config with errors changes nothing.")
  static final class Reload extends Listing {
    String command() { return "reload"; }

    void print(JsonNode result, PrintWriter out) {
      out.println(result.path("message").asText());
    }
  }

  @Command(name = "stats", description = "Daemon statistics.")
  static final class Stats extends Listing {
    String command() { return "stats"; }

    void print(JsonNode result, PrintWriter out) throws JsonProcessingException {
      TextFormat.stats(ControlProtocol.JSON.treeToValue(result, Views.Stats.class), out);
    }
  }

  @Command(name = "monitor", description = "Stream daemon events until interrupted.")
  static final class Monitor implements Callable<Integer> {
    @ParentCommand IpsecctlMain parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin JsonOption format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (ControlClient client = ControlClient.connect(parent.socket)) {
        client.stream("monitor", response -> {
          try {
            if (format.json) {
              out.println(ControlProtocol.JSON.writeValueAsString(response.result()));
            } else {
              TextFormat.event(ControlProtocol.JSON.treeToValue(response.result(), DaemonEvent.class), out);
            }
          } catch (JsonProcessingException e) {
            out.println(response.result());
          }
          out.flush();
        });
        spec.commandLine().getErr().println("ipsecctl: ipsecd closed the monitor stream (daemon stopped?)");
        return ExitCodes.NOT_RUNNING;
      } catch (CtlException e) {
        return report(e, spec.commandLine().getErr());
      }
    }
  }

  @Command(name = "version", description = "Versions of ipsecctl and of the running ipsecd.")
  static final class VersionCmd extends Listing {
    String command() { return "version"; }

    void print(JsonNode result, PrintWriter out) {
      out.println("ipsecctl " + Version.VERSION);
      out.println("ipsecd   " + result.path("version").asText() + " (control protocol " + result.path("protocol").asText() + ")");
    }
  }

  static final class ClientVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ipsecctl " + Version.VERSION + " (control protocol " + ControlProtocol.VERSION + ")"};
    }
  }
}
