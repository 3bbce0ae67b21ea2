package nl.betrokken.coordinator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micronaut.context.ApplicationContext;
import nl.betrokken.coordinator.enrolment.EnrolledNodes;
import nl.betrokken.coordinator.intake.EpochRetirement;
import nl.betrokken.coordinator.retention.RetentionService;
import nl.betrokken.crypto.token.PublicKeySet;

/**
 * The operator's commands, run against the coordinator's database without starting its HTTP server:
 * <pre>
 *   java -jar coordinator.jar enrol NODE_ID PUBLIC_JWKS_FILE [NODE_ID PUBLIC_JWKS_FILE ...]
 *   java -jar coordinator.jar retention
 *   java -jar coordinator.jar federation-epoch-retire EPOCH
 * </pre>
 * Configuration (data directory, database) is read as for the server, from {@code application.yml} and the
 * environment.
 */
final class Commands {

    private Commands() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String usage = "usage: coordinator.jar enrol NODE_ID PUBLIC_JWKS_FILE [NODE_ID PUBLIC_JWKS_FILE ...]"
                + " | coordinator.jar retention | coordinator.jar federation-epoch-retire EPOCH";
        switch (args[0]) {
            case "enrol" -> {
                if (args.length < 3 || args.length % 2 == 0) {
                    err.println(usage);
                    return 2;
                }
                try (ApplicationContext context = ApplicationContext.run()) {
                    EnrolledNodes nodes = context.getBean(EnrolledNodes.class);
                    for (int i = 1; i < args.length; i += 2) {
                        PublicKeySet keys = PublicKeySet.parse(Files.readString(Path.of(args[i + 1])));
                        boolean changed = nodes.enrol(args[i], keys);
                        out.println((changed ? "enrolled " : "already enrolled ") + args[i] + " "
                                + keys.byThumbprint().keyIds());
                    }
                    return 0;
                } catch (IOException | IllegalArgumentException e) {
                    err.println("enrol: " + e.getMessage());
                    return 1;
                }
            }
            case "retention" -> {
                try (ApplicationContext context = ApplicationContext.run()) {
                    RetentionService.Report report = context.getBean(RetentionService.class).run();
                    out.println("retention on " + report.day() + ": " + report.archived() + " archived, "
                            + report.deleted() + " deleted");
                    return 0;
                }
            }
            case "federation-epoch-retire" -> {
                if (args.length != 2) {
                    err.println(usage);
                    return 2;
                }
                try (ApplicationContext context = ApplicationContext.run()) {
                    EpochRetirement.Report report = context.getBean(EpochRetirement.class)
                            .retire(Integer.parseInt(args[1]));
                    out.println(report.alreadyRetired() ? "epoch " + report.epoch() + " was already retired"
                            : "epoch " + report.epoch() + " retired: " + report.linksRemoved() + " link(s) removed");
                    return 0;
                } catch (IllegalArgumentException | IllegalStateException e) {
                    err.println("federation-epoch-retire: " + e.getMessage());
                    return 1;
                }
            }
            default -> {
                err.println(usage);
                return 2;
            }
        }
    }
}
