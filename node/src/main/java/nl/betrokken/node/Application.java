package nl.betrokken.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.audit.AuditCheckpoints;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.organisation.AccountAddCommand;
import nl.betrokken.node.rotation.FederationKeyRotation;

/**
 * Starts a node ({@code java -jar node/target/node.jar}), or runs the operator's command
 * {@code java -jar node.jar federation-keyring PATH}, which creates a new federation key ring at PATH (owner-only)
 * for the operator to distribute to every node of the federation, or {@code java -jar node.jar init NODE_ID DATA_DIR},
 * which creates a node's own keys and writes its public token keys for enrolment at the coordinator, or
 * {@code java -jar node.jar archive}, which archives and erases what is due today (as the hourly job does), or
 * {@code java -jar node.jar audit-checkpoint}, which signs a checkpoint of the audit log and has the coordinator
 * countersign it (as the job does every ten minutes), or
 * {@code java -jar node.jar account-add --username U --role R --name N [--email E] [--organisation ID]}, which adds
 * an account (the region's first gemeente account; {@link AccountAddCommand}), or the federation key rotation's
 * {@code federation-keyring-rotate CURRENT NEW [DAYS]}, {@code federation-key-rotate NEW_RING} and
 * {@code federation-key-drop EPOCH} ({@link #federationKeyCommand}), or
 * {@code java -jar node.jar token-key-rotate [DATA_DIR]}, which
 * replaces the node's token key (compromise, rotation; the data directory defaults to {@code BETROKKEN_DATA_DIR}) and
 * writes its public half for enrolment: a running node signs with the new key from then on, and once the operator
 * has enrolled it ({@code coordinator.jar enrol NODE_ID DATA_DIR/node-public.jwks.json}) the coordinator and every
 * peer refuse the old one.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && "federation-keyring".equals(args[0])) {
            if (args.length != 2) {
                System.err.println("usage: node.jar federation-keyring PATH");
                System.exit(2);
            }
            Path path = Path.of(args[1]);
            if (Files.exists(path)) {
                System.err.println("federation-keyring: " + path + " exists; not replaced");
                System.exit(1);
            }
            KeyRingFile.write(path, KeyRing.generate(new SecureRandom(), Instant.now()));
            System.out.println("wrote a new federation key ring to " + path);
            return;
        }
        if (args.length > 0 && "init".equals(args[0])) {
            if (args.length < 3 || args.length % 2 == 0) {
                System.err.println("usage: node.jar init NODE_ID DATA_DIR [NODE_ID DATA_DIR ...]");
                System.exit(2);
            }
            for (int i = 1; i < args.length; i += 2) {
                NodeKeys.initialise(Path.of(args[i + 1]), args[i], Clock.systemUTC());
                System.out.println("node " + args[i] + ": keys in " + args[i + 1] + ", public keys for enrolment in "
                        + Path.of(args[i + 1]).resolve(NodeKeys.PUBLIC_KEYS));
            }
            return;
        }
        if (args.length > 0 && "token-key-rotate".equals(args[0])) {
            if (args.length > 2) {
                System.err.println("usage: node.jar token-key-rotate [DATA_DIR]");
                System.exit(2);
            }
            String dir = args.length == 2 ? args[1] : System.getenv().getOrDefault("BETROKKEN_DATA_DIR", "data");
            String kid = NodeKeys.rotateTokenKey(Path.of(dir));
            System.out.println("new token key " + kid + "; enrol it: coordinator.jar enrol NODE_ID "
                    + Path.of(dir).resolve(NodeKeys.PUBLIC_KEYS));
            return;
        }
        if (args.length > 0 && "archive".equals(args[0])) {
            // Against the node's database without starting its HTTP server; the ends for the coordinator wait in the
            // outbox until the node runs.
            try (ApplicationContext context = ApplicationContext.run()) {
                ArchiveService.Report report = context.getBean(ArchiveService.class).run();
                System.out.println("archive on " + report.day() + ": " + report.archived() + " archived, "
                        + report.erased() + " erased with " + report.matchesErased() + " match(es)");
            }
            return;
        }
        if (args.length > 0 && args[0].startsWith("federation-key")) {
            int code = federationKeyCommand(args);
            if (code >= 0) {
                if (code > 0) {
                    System.exit(code);
                }
                return;
            }
        }
        if (args.length > 0 && "account-add".equals(args[0])) {
            // Against the node's database without starting its HTTP server: the region's first gemeente account.
            int code = AccountAddCommand.run(args, ApplicationContext::run, System.out, System.err);
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        if (args.length > 0 && "audit-checkpoint".equals(args[0])) {
            try (ApplicationContext context = ApplicationContext.run()) {
                AuditCheckpoints.Outcome outcome = context.getBean(AuditCheckpoints.class).run();
                System.out.println("audit checkpoint: " + outcome.name().toLowerCase());
                if (outcome != AuditCheckpoints.Outcome.COUNTERSIGNED) {
                    System.exit(1);
                }
            }
            return;
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }

    /**
     * The federation key rotation's commands (rotation/, docs/node.md); -1 if {@code args} names none of them. The
     * last two run against the node's database and data directory with the node stopped: the running node keeps the
     * ring it started with.
     */
    static int federationKeyCommand(String[] args) throws IOException {
        switch (args[0]) {
            case "federation-keyring-rotate" -> {
                if (args.length != 3 && args.length != 4) {
                    System.err.println("usage: node.jar federation-keyring-rotate CURRENT_RING NEW_RING [TRANSITION_DAYS]");
                    return 2;
                }
                Path next = Path.of(args[2]);
                if (Files.exists(next)) {
                    System.err.println("federation-keyring-rotate: " + next + " exists; not replaced");
                    return 1;
                }
                KeyRing ring;
                Duration transition;
                try {
                    transition = args.length == 4 ? Duration.ofDays(Long.parseLong(args[3]))
                            : FederationKeyRotation.DEFAULT_TRANSITION;
                    ring = FederationKeyRotation.next(KeyRingFile.read(Path.of(args[1])), Instant.now(), transition);
                } catch (IllegalArgumentException e) {
                    System.err.println("federation-keyring-rotate: " + e.getMessage());
                    return 1;
                }
                KeyRingFile.write(next, ring);
                System.out.println("wrote the next federation key ring to " + next + " (primary epoch "
                        + ring.primary().id() + ", previous accepted for " + transition.toDays() + " days): copy it to"
                        + " every node and run `java -jar node.jar federation-key-rotate " + next + "` at each");
                return 0;
            }
            case "federation-key-rotate" -> {
                if (args.length != 2) {
                    System.err.println("usage: node.jar federation-key-rotate NEW_RING");
                    return 2;
                }
                KeyRing next = KeyRingFile.read(Path.of(args[1]));
                try (ApplicationContext context = ApplicationContext.run()) {
                    FederationKeyRotation.Rotated r = context.getBean(FederationKeyRotation.class).rotate(next);
                    System.out.println("federation ring " + (r.installed() ? "installed" : "was already installed")
                            + ": primary epoch " + r.primary() + " (was " + r.previousPrimary() + "); "
                            + r.resubmitted() + " active signal(s) resubmitted through the outbox");
                    return 0;
                } catch (IllegalArgumentException e) {
                    System.err.println("federation-key-rotate: " + e.getMessage());
                    return 1;
                }
            }
            case "federation-key-drop" -> {
                if (args.length != 2) {
                    System.err.println("usage: node.jar federation-key-drop EPOCH");
                    return 2;
                }
                try (ApplicationContext context = ApplicationContext.run()) {
                    FederationKeyRotation.Dropped d = context.getBean(FederationKeyRotation.class)
                            .drop(Integer.parseInt(args[1]));
                    System.out.println("federation epoch " + d.epoch() + (d.changed() ? " disabled" : " was already disabled"));
                    return 0;
                } catch (IllegalArgumentException | IllegalStateException e) {
                    System.err.println("federation-key-drop: " + e.getMessage());
                    return 1;
                }
            }
            default -> {
                return -1;
            }
        }
    }
}
