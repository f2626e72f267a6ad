package io.ipsecd.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The control socket. {@code group} is the socket file's group (empty: root only);
 * {@code allowedUsers}/{@code allowedGroups} are checked against the peer credentials.
 */
public record Control(Path socket, Optional<String> group, List<String> allowedUsers, List<String> allowedGroups) {
    public static final Path DEFAULT_SOCKET = Path.of("/run/ipsecd/ipsecd.sock");
    public static final List<String> DEFAULT_ALLOWED_USERS = List.of("root");

    public Control {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(group, "group");
        allowedUsers = List.copyOf(allowedUsers);
        allowedGroups = List.copyOf(allowedGroups);
    }

    public static Control defaults() {
        return new Control(DEFAULT_SOCKET, Optional.empty(), DEFAULT_ALLOWED_USERS, List.of());
    }
}
