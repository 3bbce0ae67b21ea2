package nl.betrokken.node.followup;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code betrokken.follow-up.*}: after how many days without follow-up a match is flagged to the professional
 * ({@code overdue-days}), and after how many to the instellingscoördinator ({@code escalate-days}). Requires
 * {@code 0 < overdueDays <= escalateDays}.
 */
@ConfigurationProperties("betrokken.follow-up")
public record FollowUpConfiguration(@Bindable(defaultValue = "14") int overdueDays,
                                    @Bindable(defaultValue = "28") int escalateDays) {

    public FollowUpConfiguration {
        if (overdueDays < 1 || escalateDays < overdueDays) {
            throw new IllegalArgumentException("betrokken.follow-up needs 0 < overdue-days (" + overdueDays
                    + ") <= escalate-days (" + escalateDays + ")");
        }
    }
}
