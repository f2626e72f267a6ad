package io.ipsecd.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian root filesystems for containerised strongSwan peers, built once with debootstrap and
 * cached. A build goes to a temporary directory that is renamed into place only when complete,
 * so a killed build never leaves a half rootfs behind; a file lock serialises parallel builders.
 */
public final class Rootfs {
    static final String PACKAGES = "charon-systemd,strongswan-swanctl,libcharon-extra-plugins,"
            + "libstrongswan-extra-plugins,libstrongswan-standard-plugins,iproute2";
    /** Where the strongSwan driver bind-mounts a peer's config/log directory inside the container. */
    static final String MOUNT_POINT = "ipt";

    private Rootfs() {}

    /** Cache directory; override with -Dipsecd.testbed.cache=DIR or IPSECD_TESTBED_CACHE. */
    public static Path cacheDir() {
        String p = System.getProperty("ipsecd.testbed.cache", System.getenv("IPSECD_TESTBED_CACHE"));
        return Path.of(p != null ? p : "/var/cache/ipsecd-testbed");
    }

    /** The rootfs of {@code suite}, building it first when it is missing. */
    @SuppressWarnings("try") // the lock is held for the scope, never used
    public static synchronized Path ensure(String suite) {
        Path target = cacheDir().resolve("rootfs-" + suite);
        if (isComplete(target)) return target;
        try {
            Files.createDirectories(cacheDir());
            try (FileChannel ch = FileChannel.open(cacheDir().resolve(".lock-" + suite),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (isComplete(target)) return target; // another process built it while we waited
                removeStaleBuilds(suite);
                Path tmp = cacheDir().resolve(".tmp-rootfs-" + suite + "-" + ProcessHandle.current().pid());
                Sweep.deleteTree(tmp);
                String mirror = mirror();
                Path log = cacheDir().resolve("debootstrap-" + suite + ".log");
                Exec.Result r = Exec.run(Duration.ofMinutes(15), List.of("sh", "-c",
                        "debootstrap --variant=minbase --include=\"$1\" \"$2\" \"$3\" \"$4\" >\"$5\" 2>&1",
                        "sh", PACKAGES, suite, tmp.toString(), mirror, log.toString()));
                if (!r.ok()) {
                    Sweep.deleteTree(tmp);
                    throw new IllegalStateException("debootstrap " + suite + " from " + mirror + " failed:\n"
                            + Exec.tail(log, 3000));
                }
                Files.createDirectories(tmp.resolve(MOUNT_POINT));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build rootfs " + suite, e);
        }
    }

    static boolean isComplete(Path rootfs) {
        return Files.isExecutable(rootfs.resolve("usr/sbin/charon-systemd"))
                && Files.isExecutable(rootfs.resolve("usr/sbin/swanctl"));
    }

    /** Temporary build directories of builders that died. */
    private static void removeStaleBuilds(String suite) throws IOException {
        String prefix = ".tmp-rootfs-" + suite + "-";
        try (Stream<Path> s = Files.list(cacheDir())) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                String pid = p.getFileName().toString().substring(prefix.length());
                boolean alive = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)
                        .orElse(false);
                if (!alive || Long.parseLong(pid) == ProcessHandle.current().pid()) Sweep.deleteTree(p);
            }
        }
    }

    /**
     * The Debian mirror apt already uses on this host (never a hard-coded one): the first
     * non-security {@code URIs:} of /etc/apt/sources.list.d/*.sources, else the first {@code deb}
     * line of /etc/apt/sources.list. -Dipsecd.testbed.mirror=URL overrides.
     */
    public static String mirror() {
        String override = System.getProperty("ipsecd.testbed.mirror", System.getenv("IPSECD_TESTBED_MIRROR"));
        if (override != null && !override.isBlank()) return override;
        List<String> candidates = new ArrayList<>();
        try {
            Path dir = Path.of("/etc/apt/sources.list.d");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path f : s.filter(p -> p.toString().endsWith(".sources")).sorted().toList()) {
                        for (String line : Files.readAllLines(f)) {
                            String l = line.strip();
                            if (l.startsWith("URIs:")) candidates.addAll(List.of(l.substring(5).strip().split("\\s+")));
                        }
                    }
                }
            }
            Path list = Path.of("/etc/apt/sources.list");
            if (Files.isReadable(list)) {
                for (String line : Files.readAllLines(list)) {
                    String[] w = line.strip().replaceAll("\\[[^]]*]", "").split("\\s+");
                    if (w.length >= 3 && w[0].equals("deb")) candidates.add(w[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read apt sources", e);
        }
        Optional<String> mirror = candidates.stream().filter(u -> !u.contains("security")).findFirst();
        return mirror.orElseThrow(() -> new IllegalStateException(
                "no Debian mirror found in the apt sources; set -Dipsecd.testbed.mirror=URL"));
    }
}
