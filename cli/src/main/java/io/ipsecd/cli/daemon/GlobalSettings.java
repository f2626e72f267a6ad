package io.ipsecd.cli.daemon;

import io.ipsecd.cli.control.AccessPolicy;
import io.ipsecd.conf.Control;
import io.ipsecd.conf.Global;
import io.ipsecd.conf.LogFormat;
import io.ipsecd.conf.Logging;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the config's global section: logging (under any --log-level/--log-format given on the
 * command line) and who may use the control socket. A reload applies both again; the socket's
 * path and group are only read at start.
 */
final class GlobalSettings {
  private static final Logger log = LoggerFactory.getLogger("cfg");

  private final Optional<String> cliLevel;
  private final Optional<LogFormat> cliFormat;

  GlobalSettings(Optional<String> cliLevel, Optional<LogFormat> cliFormat) {
    this.cliLevel = cliLevel;
    this.cliFormat = cliFormat;
  }

  void applyLogging(Logging logging) {
    Map<String, String> subsystems = new LinkedHashMap<>(logging.subsystems());
    // An explicit --log-level is what the admin wants to see now, from every subsystem.
    cliLevel.ifPresent(level -> subsystems.replaceAll((name, configured) -> level));
    LoggingSetup.apply(cliLevel.orElse(logging.level()), cliFormat.orElse(logging.format()), subsystems);
  }

  static AccessPolicy accessPolicy(Control control) {
    return AccessPolicy.of(control.allowedUsers(), control.allowedGroups(), control.group());
  }

  /** What a reload changes in the global section; returns the new access policy, if it changed. */
  Optional<AccessPolicy> reload(Global old, Global next) {
    if (!old.logging().equals(next.logging())) {
      applyLogging(next.logging());
      log.info("logging settings changed by reload: applied");
    }
    if (!old.retransmit().equals(next.retransmit())) {
      log.warn("global.ike.retransmit changed in the config; it takes effect when ipsecd restarts");
    }
    Control was = old.control();
    Control now = next.control();
    if (!was.socket().equals(now.socket()) || !was.group().equals(now.group())) {
      log.warn("global.control.socket and global.control.group changed in the config; they take effect when "
          + "ipsecd restarts (still {})", was.socket());
    }
    if (!was.allowedUsers().equals(now.allowedUsers()) || !was.allowedGroups().equals(now.allowedGroups())
        || !was.group().equals(now.group())) {
      log.info("control socket access changed by reload: applied");
      return Optional.of(accessPolicy(now));
    }
    return Optional.empty();
  }
}
