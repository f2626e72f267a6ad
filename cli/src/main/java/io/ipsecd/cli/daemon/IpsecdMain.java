package io.ipsecd.cli.daemon;

import com.google.inject.Guice;
import io.ipsecd.conf.Config;
import io.ipsecd.conf.ConfigError;
import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.conf.LogFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code ipsecd}: the daemon. Runs in the foreground; SIGHUP reloads, SIGTERM stops gracefully. */
@Command(name = "ipsecd", mixinStandardHelpOptions = true, versionProvider = IpsecdMain.VersionProvider.class,
    description = "IPsec/IKEv2 site-to-site VPN gateway daemon. Runs in the foreground; SIGHUP reloads the config, "
        + "SIGTERM shuts down gracefully.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly, or --check found no error", "1:the config has errors",
        "2:bad command-line arguments", "3:could not start (socket in use, no permission, ...)"})
public final class IpsecdMain implements Callable<Integer> {
  static final int CONFIG_INVALID = 1;
  static final int CANNOT_START = 3;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})")
  Path config = Path.of("/etc/ipsecd/ipsecd.yaml");

  @Option(names = "--socket", paramLabel = "PATH",
      description = "control socket (default: global.control.socket of the config, else /run/ipsecd/ipsecd.sock)")
  Path socket;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn or error; "
      + "overrides global.logging.level")
  String logLevel;

  @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json; overrides global.logging.format")
  LogFormat logFormat;

  @Option(names = "--check", paramLabel = "FILE", description = "validate FILE, print what was found, start nothing")
  Path check;

  public static void main(String[] args) {
    // Guice's runtime bytecode generation (for AOP we don't use) calls sun.misc.Unsafe, which JDK 25 warns about.
    System.setProperty("guice_bytecode_gen_option", "DISABLED");
    CommandLine cmd = new CommandLine(new IpsecdMain()).setCaseInsensitiveEnumValuesAllowed(true);
    System.exit(cmd.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (check != null) {
      return check(check);
    }
    LoadResult loaded = ConfigLoader.load(config);
    if (loaded instanceof LoadResult.Invalid invalid) {
      System.err.println("ipsecd: " + config + " has " + invalid.errors().size() + " error(s); not starting:");
      invalid.errors().forEach(e -> System.err.println("  " + e));
      return CONFIG_INVALID;
    }
    Config cfg = ((LoadResult.Valid) loaded).config();
    GlobalSettings globals = new GlobalSettings(Optional.ofNullable(logLevel), Optional.ofNullable(logFormat));
    globals.applyLogging(cfg.global().logging());
    Path socketPath = socket != null ? socket : cfg.global().control().socket();
    Daemon daemon = Guice.createInjector(new DaemonModule(config, cfg, socketPath, globals)).getInstance(Daemon.class);
    // TERM and INT shut down in order and exit 0; the hook covers any other way the JVM ends.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> daemon.shutdown("JVM exit"), "shutdown"));
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> Thread.ofPlatform().start(() -> daemon.shutdown("SIG" + name)));
    }
    // The JVM leaves an ignored SIGHUP ignored (nohup, some supervisors), so say how to reload then.
    if (Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("reload").start(() -> daemon.reload("SIGHUP")))
        == sun.misc.SignalHandler.SIG_IGN) {
      LoggerFactory.getLogger("cfg").warn("SIGHUP is ignored in this process (started under nohup?), so it will not "
          + "reload the config: use 'ipsecctl reload', or start ipsecd without ignoring SIGHUP");
    }
    try {
      daemon.start();
    } catch (java.nio.file.AccessDeniedException e) {
      LoggerFactory.getLogger("ctl").error("cannot start: permission denied on {}: run ipsecd as root, or pick a "
          + "writable --socket", e.getFile());
      return CANNOT_START;
    } catch (IOException e) {
      LoggerFactory.getLogger("ctl").error("cannot start: control socket {}: {}", socketPath, e.getMessage());
      return CANNOT_START;
    }
    daemon.awaitShutdown();
    return 0;
  }

  private static int check(Path file) {
    Logger log = LoggerFactory.getLogger("cfg");
    return switch (ConfigLoader.load(file)) {
      case LoadResult.Invalid invalid -> {
        System.err.println(file + ": " + invalid.errors().size() + " error(s):");
        for (ConfigError e : invalid.errors()) {
          System.err.println("  " + e);
        }
        yield CONFIG_INVALID;
      }
      case LoadResult.Valid valid -> {
        Config cfg = valid.config();
        int children = cfg.connections().values().stream().mapToInt(c -> c.children().size()).sum();
        System.out.println(file + ": OK, " + cfg.connections().size() + " connection(s), " + children + " child(ren)");
        log.debug("checked {}", file);
        yield 0;
      }
    };
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ipsecd " + Version.VERSION + " (control protocol 1, Java " + Runtime.version() + ")"};
    }
  }
}
