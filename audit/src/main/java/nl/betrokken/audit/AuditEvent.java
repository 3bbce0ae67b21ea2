package nl.betrokken.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What happened, as the service appends it: a kind ({@code signal.registered}), who did it ({@code
 * prof:noord-prof-a}, {@code node:oost}, {@code system:retention}), what it was about ({@code signal:3f2a…}, {@code
 * match:…}) and details (counts, outcomes, references).
 *
 * <p>Never a BSN, a name, a birth date or contact data: actors and subjects are node-local references, and the
 * values are restricted to a plain character set so that free text cannot slip in by accident.
 */
public record AuditEvent(String kind, String actor, String subject, Map<String, String> details) {

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+");
    /** The characters an actor or subject may hold. */
    private static final String REFERENCE_CHARACTERS = "A-Za-z0-9:._@/+=-";
    private static final Pattern REFERENCE = Pattern.compile("[" + REFERENCE_CHARACTERS + "]{1,200}");
    private static final Pattern NOT_REFERENCE = Pattern.compile("[^" + REFERENCE_CHARACTERS + "]");
    private static final Pattern KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,39}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9:._@/+=, -]{0,300}");

    /** @throws IllegalArgumentException naming the part that is not allowed (never quoting it) */
    public AuditEvent {
        check(KIND, kind, "kind");
        check(REFERENCE, actor, "actor");
        check(REFERENCE, subject, "subject");
        details = new TreeMap<>(Objects.requireNonNull(details, "details"));
        if (details.size() > 20) {
            throw new IllegalArgumentException("at most 20 details");
        }
        details.forEach((k, v) -> {
            check(KEY, k, "detail key");
            check(VALUE, v, "detail " + k);
        });
        details = Map.copyOf(details);
    }

    /**
     * A value made fit for an actor or subject: characters an entry may not hold become {@code _}, at most
     * {@code maxLength} of them ({@code none} for an empty or missing value). Requires 1 &lt;= maxLength &lt;= 200.
     */
    public static String reference(String raw, int maxLength) {
        String s = raw == null || raw.isEmpty() ? "none" : NOT_REFERENCE.matcher(raw).replaceAll("_");
        return s.length() > maxLength ? s.substring(0, maxLength) : s;
    }

    public static AuditEvent of(String kind, String actor, String subject) {
        return new AuditEvent(kind, actor, subject, Map.of());
    }

    public AuditEvent with(String key, Object value) {
        Map<String, String> more = new TreeMap<>(details);
        more.put(key, String.valueOf(value));
        return new AuditEvent(kind, actor, subject, more);
    }

    private static void check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("audit " + what + " is missing or has characters an audit entry may not hold");
        }
    }
}
