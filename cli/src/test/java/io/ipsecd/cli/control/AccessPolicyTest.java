package io.ipsecd.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessPolicyTest {
  @TempDir Path dir;

  @Test
  void rootListedUsersAndMembersOfAllowedGroupsOnly() throws Exception {
    Path groups = dir.resolve("group");
    Files.writeString(groups, "root:x:0:\nipsecd:x:990:alice,bob\nwheel:x:10:carol\n");
    AccessPolicy policy = new AccessPolicy(List.of("dave"), List.of(), Optional.of("ipsecd"), groups);
    assertThat(policy.allows(new CallerIdentity("root", "root"))).isTrue();
    assertThat(policy.allows(new CallerIdentity("dave", "users"))).isTrue();
    assertThat(policy.allows(new CallerIdentity("alice", "users"))).as("supplementary member").isTrue();
    assertThat(policy.allows(new CallerIdentity("erin", "ipsecd"))).as("primary group").isTrue();
    assertThat(policy.allows(new CallerIdentity("carol", "wheel"))).isFalse();
    assertThat(policy.allows(new CallerIdentity("nobody", "nogroup"))).isFalse();
  }

  @Test
  void withoutAGroupDatabaseOnlyNamedCallersAreAllowed() {
    AccessPolicy policy = new AccessPolicy(List.of(), List.of("ipsecd"), Optional.empty(), dir.resolve("missing"));
    assertThat(policy.allows(new CallerIdentity("alice", "users"))).isFalse();
    assertThat(policy.allows(new CallerIdentity("alice", "ipsecd"))).isTrue();
  }
}
