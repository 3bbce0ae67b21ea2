package nl.betrokken.node.staff;

import java.time.Instant;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One recorded change: who ({@code actor}) changed which account ({@code subject}) when, and how: CREATED,
 * CONTACT_CHANGED (with the names of the fields, not their values) or DEACTIVATED (with the colleague who took
 * over, and how many signals moved).
 */
@Serdeable
public record StaffChange(long id, Instant changedAt, String actor, String subject, String action,
                          @Nullable List<String> fields, @Nullable String handOverTo, @Nullable Integer signalsMoved) {

    @Serdeable
    public record Page(List<StaffChange> items) {
    }
}
