package nl.betrokken.node.veiligthuis;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One signal as a Veilig Thuis worker sees it: where it is (the region's node, its id there), who registered it and
 * how to reach them, when, and its status. Not the legal ground, not the youth's name, nothing of the content.
 * Personal data: {@link #toString()} prints none.
 *
 * @param status ACTIVE, ENDED or ARCHIVED
 */
@Serdeable
public record VeiligThuisItem(String node, String id, String organisation, String professional,
                              @Nullable String email, @Nullable String phone, LocalDate registeredOn, String status,
                              LocalDate activeUntil) {

    @Override
    public String toString() {
        return "VeiligThuisItem[" + node + ", " + status + "]";
    }

    /**
     * The answer to a look-up: its id (the same in the log of every node that answered), the signals found, and the
     * regions that did not answer.
     */
    @Serdeable
    public record Page(UUID lookup, List<VeiligThuisItem> items, List<String> unavailable) {
    }
}
