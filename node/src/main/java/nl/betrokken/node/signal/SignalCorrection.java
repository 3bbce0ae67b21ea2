package nl.betrokken.node.signal;

import java.time.LocalDate;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code PATCH /api/v1/signals/{id}}: what the professional corrects. The fields given change, the others stay;
 * {@code parents}, when given, is the whole new list (a parent added, removed or fixed). The youth's BSN is not
 * corrected: a signal on another youth is withdrawn and registered anew ({@code youth.bsn} is refused, naming it).
 */
@Serdeable
public record SignalCorrection(
        @Schema(type = "object") @Nullable @Valid Youth youth,
        @Nullable @Size(max = 4) List<RegisterSignalRequest.@NotNull @Valid Parent> parents) {

    /** The youth's name and birth date. Personal data: never printed. */
    @Serdeable
    public record Youth(
            @Nullable String bsn,
            @Nullable LocalDate birthDate,
            @Nullable @Size(min = 1, max = 200) @Pattern(regexp = "[\\s\\S]*\\S[\\s\\S]*",
                    message = "must not be blank")
            String name) {
        @Override
        public String toString() {
            return "Youth[redacted]";
        }
    }

    @Override
    public String toString() {
        return "SignalCorrection[redacted]";
    }
}
