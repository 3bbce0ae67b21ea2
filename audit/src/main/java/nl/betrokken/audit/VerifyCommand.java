package nl.betrokken.audit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code java -jar audit/target/audit.jar verify <bundle.json>}: checks an exported audit bundle offline and says
 * what it holds, or names the first entry or checkpoint that fails. Exit status 0 when it verifies, 1 when it does
 * not, 2 when the bundle cannot be read.
 *
 * <p>{@code java -jar audit/target/audit.jar verify-inzage <access-log.json> [--keys <keys.json>]}: checks a person's
 * access-log file ({@link AccessLogFile}, {@link AccessLogVerifier}), against the coordinator's published keys when
 * {@code --keys} names a copy of its {@code /.well-known/betrokken-audit-keys.json}. Same exit statuses.
 */
public final class VerifyCommand {

    private VerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length >= 2 && "verify-inzage".equals(args[0])) {
            return verifyInzage(args);
        }
        if (args.length != 2 || !"verify".equals(args[0])) {
            System.err.println("usage: java -jar audit.jar verify <bundle.json>");
            System.err.println("       java -jar audit.jar verify-inzage <access-log.json> [--keys <keys.json>]");
            return 2;
        }
        AuditBundle bundle;
        try {
            bundle = AuditBundle.read(Path.of(args[1]));
        } catch (IOException e) {
            System.err.println("cannot read " + args[1] + ": " + e.getMessage());
            return 2;
        }
        try {
            BundleVerifier.Report r = BundleVerifier.verify(bundle);
            System.out.println("OK " + bundle.origin() + ": " + r.entries() + " entries, " + r.checkpoints()
                    + " checkpoints (" + r.countersigned() + " countersigned by the coordinator"
                    + (r.lastCountersignedAt() == null ? "" : ", the last at " + r.lastCountersignedAt()) + "); entries 0 to "
                    + (r.coveredEntries() - 1) + " are covered by a checkpoint"
                    + (r.coveredEntries() < r.entries() ? ", the " + (r.entries() - r.coveredEntries()) + " after them not yet" : ""));
            return 0;
        } catch (AuditVerificationException e) {
            System.out.println("FAILED " + bundle.origin() + ": " + e.getMessage());
            return 1;
        }
    }

    private static int verifyInzage(String[] args) {
        if (!(args.length == 2 || args.length == 4 && "--keys".equals(args[2]))) {
            System.err.println("usage: java -jar audit.jar verify-inzage <access-log.json> [--keys <keys.json>]");
            return 2;
        }
        AccessLogFile file;
        AccessLogFile.PublishedKeys keys = null;
        try {
            file = AccessLogFile.read(Path.of(args[1]));
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read " + args[1] + ": " + e.getMessage());
            return 2;
        }
        if (args.length == 4) {
            try {
                keys = AccessLogFile.PublishedKeys.read(Path.of(args[3]));
            } catch (IOException | RuntimeException e) {
                System.err.println("cannot read " + args[3] + ": " + e.getMessage());
                return 2;
            }
        }
        try {
            AccessLogVerifier.Report r = AccessLogVerifier.verify(file, keys);
            System.out.println("OK: " + r.entries() + " entries about " + r.signals() + " signals at " + r.logs()
                    + " nodes; " + r.covered() + " proven to stand in their node's log under a checkpoint countersigned"
                    + " by the coordinator" + (keys == null ? " (keys as in the file: pass --keys to compare them with"
                    + " the published ones)" : " (keys as published)")
                    + (r.notCovered() > 0 ? "; " + r.notCovered() + " not yet covered by a countersigned checkpoint"
                    + " (shown, not proven)" : "")
                    + (r.releasedProven() > 0 ? "; " + r.releasedProven() + " held back and released, proven to have"
                    + " been in the log while held back" : "")
                    + (r.releasedNotProven() > 0 ? "; " + r.releasedNotProven() + " released without a checkpoint"
                    + " countersigned while held back (opened, not proven to have been there all along)" : ""));
            r.checkpoints().forEach(cp -> System.out.println("  checkpoint " + cp));
            return 0;
        } catch (AuditVerificationException e) {
            System.out.println("FAILED " + e.getMessage());
            return 1;
        }
    }
}
