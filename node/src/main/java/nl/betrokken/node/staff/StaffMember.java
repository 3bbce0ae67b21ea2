package nl.betrokken.node.staff;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A professional (or coördinator) of the caller's organisation; contact data are personal, so never printed.
 *
 * @param activeSignals the account's active signals
 * @param signalsToHandOver the signals that move to a colleague when the account is deactivated (active, or ended
 *                          and not yet archived); while there are any, deactivation needs {@code handOverTo}
 */
@Serdeable
public record StaffMember(String username, String role, String displayName, @Nullable String email,
                          @Nullable String phone, boolean active, boolean signsInWithPassword, int activeSignals,
                          int signalsToHandOver) {

    @Override
    public String toString() {
        return "StaffMember[" + username + ", " + role + ", active=" + active + "]";
    }

    @Serdeable
    public record Page(List<StaffMember> items) {
    }
}
