package nl.betrokken.coordinator.inzage;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The signed-in person's BSN as the asking node pseudonymised it under every accepted federation epoch, each in the
 * form a signal's youth pseudonym is sent ({@code e<epoch>.<43 base64url characters>}).
 */
@Serdeable
public record InzageRequest(
        @NotNull @Size(min = 1, max = MAX_EPOCHS) List<@NotNull @Valid EpochPerson> pseudonyms) {

    /** At most this many epochs: a node accepts two or three at a time during a rotation. */
    public static final int MAX_EPOCHS = 8;

    /** The person's pseudonym under one key epoch. */
    @Serdeable
    public record EpochPerson(int epoch, @NotNull String person) {

        /** A pseudonym is still personal data: never printed. */
        @Override
        public String toString() {
            return "EpochPerson[epoch=" + epoch + "]";
        }
    }
}
