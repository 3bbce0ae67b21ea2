package nl.betrokken.audit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code java -jar audit/target/audit.jar verify <bundle.json>}: checks an exported audit bundle offline and says
 * what it holds, or names the first entry or checkpoint that fails. Exit status 0 when it verifies, 1 when it does
 * not, 2 when the bundle cannot be read.
 */
public final class VerifyCommand {

    private VerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 2 || !"verify".equals(args[0])) {
            System.err.println("usage: java -jar audit.jar verify <bundle.json>");
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
}
