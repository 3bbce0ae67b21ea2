package nl.betrokken.node.signal;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A signal as its own organisation sees it. Personal data: {@link #toString()} prints no identity. */
@Serdeable
public record SignalView(UUID id, String status, LocalDate registeredOn, LocalDate activeUntil, String ground,
                         Youth youth, int parents, String organisation, String professional,
                         @Nullable LocalDate parentsInformedOn, boolean parentsNotInformed,
                         @Nullable LocalDate endedOn, @Nullable String endReason) {

    @Serdeable
    public record Youth(String bsn, String name, LocalDate birthDate) {
        @Override
        public String toString() {
            return "Youth[redacted]";
        }
    }

    @Override
    public String toString() {
        return "SignalView[" + id + ", " + status + "]";
    }

    /** The contract's list form. */
    @Serdeable
    public record Page(List<SignalView> items) {
    }
}
