package nl.betrokken.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command in an unpacked image the way a container engine would, without one: in mount and PID namespaces of
 * its own (unshare), with the host's /dev and a fresh /proc mounted into the image's root and the host's /etc/hosts and
 * /etc/resolv.conf in it (an engine provides these three), chrooted there, as the image's user, in its working
 * directory, with only the given environment. Needs root, util-linux and coreutils.
 */
final class Container {

    private Container() {
    }

    static ProcessBuilder command(Path root, String user, String workingDir, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        ImageTar.requireRoot("running an image's entry point (unshare, mount, chroot)");
        List<String> argv = new ArrayList<>(List.of(
                // The mounts live in the new mount namespace only and end with it; --kill-child ends the service when
                // unshare is killed (a SIGTERM it ignores: it goes to the service itself, as from `docker stop`).
                "unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child=SIGTERM",
                "sh", "-c", "cp /etc/hosts /etc/resolv.conf \"$0/etc/\" && mount --rbind /dev \"$0/dev\""
                        + " && mount -t proc proc \"$0/proc\" && exec chroot \"$@\"",
                root.toString(), "--userspec=" + user, root.toString(), "/usr/bin/env", "-i", "-C", workingDir));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(command);
        return new ProcessBuilder(argv);
    }
}
