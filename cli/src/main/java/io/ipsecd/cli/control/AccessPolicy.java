package io.ipsecd.cli.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which callers may use the control socket. root always may; so may the listed users,
 * and members of the listed groups (primary group from SO_PEERCRED, supplementary ones from the
 * group database, because SO_PEERCRED only carries the primary gid).
 */
public final class AccessPolicy {
  private final Set<String> users;
  private final Set<String> groups;
  private final Path groupFile;

  public AccessPolicy(List<String> allowedUsers, List<String> allowedGroups, Optional<String> socketGroup, Path groupFile) {
    this.users = new HashSet<>(allowedUsers);
    this.users.add("root");
    this.groups = new HashSet<>(allowedGroups);
    socketGroup.ifPresent(this.groups::add);
    this.groupFile = groupFile;
  }

  public static AccessPolicy of(List<String> allowedUsers, List<String> allowedGroups, Optional<String> socketGroup) {
    return new AccessPolicy(allowedUsers, allowedGroups, socketGroup, Path.of("/etc/group"));
  }

  public boolean allows(CallerIdentity caller) {
    if (users.contains(caller.user()) || groups.contains(caller.group())) {
      return true;
    }
    return !groups.isEmpty() && supplementaryGroups(caller.user()).stream().anyMatch(groups::contains);
  }

  public String describe() {
    return "users " + String.join(",", users.stream().sorted().toList())
        + (groups.isEmpty() ? "" : ", groups " + String.join(",", groups.stream().sorted().toList()));
  }

  private Set<String> supplementaryGroups(String user) {
    Set<String> found = new HashSet<>();
    try {
      for (String line : Files.readAllLines(groupFile)) {
        String[] fields = line.split(":", -1);
        if (fields.length >= 4 && List.of(fields[3].split(",")).contains(user)) {
          found.add(fields[0]);
        }
      }
    } catch (IOException e) {
      // Without the group database only the primary group counts: fail closed.
    }
    return found;
  }
}
