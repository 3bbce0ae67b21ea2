package nl.betrokken.coordinator.consent;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The bodies of the register's internal API. */
public final class ConsentApi {

    private ConsentApi() {
    }

    /** A new consent request of the home node: its id (made by that node), the match, the purpose's hash, the parts. */
    @Serdeable
    public record Registration(@NotNull UUID id, @NotNull UUID matchId,
                               @NotNull @Pattern(regexp = "[0-9a-f]{64}",
                                       message = "must be the hex SHA-256 of the purpose (64 lower-case hex digits)")
                               String purposeHash,
                               @NotNull @Size(min = 1, max = 2) List<@NotNull @Valid PartRef> parts) {
    }

    /** A signal of the match, by its node and that node's reference. */
    @Serdeable
    public record PartRef(@NotBlank @Size(max = 64) String node, @NotBlank @Size(max = 100) String ref) {
    }

    @Serdeable
    public record Registered(UUID id, String status) {
    }

    /** A part node's answer for its part: who answered (roles), granted or refused, and an optional end date. */
    @Serdeable
    public record Answer(@NotBlank @Size(max = 100) String ref,
                         @NotNull @Pattern(regexp = "GRANTED|REFUSED", message = "must be GRANTED or REFUSED")
                         String status,
                         @NotNull @Size(min = 1, max = 2)
                         List<@NotNull @Pattern(regexp = "PARENT|YOUTH", message = "must be PARENT or YOUTH") String> roles,
                         @Nullable LocalDate validUntil) {
    }

    @Serdeable
    public record Answered(UUID id, String status, @Nullable LocalDate validUntil, @Nullable String token) {
    }

    /** A consent as the register knows it; {@code token} while GRANTED (fresh on each read). */
    @Serdeable
    public record View(UUID id, UUID matchId, String homeNode, String status, @Nullable LocalDate validUntil,
                       List<PartView> parts, @Nullable String token, @Nullable String endedReason) {
    }

    @Serdeable
    public record PartView(String node, String ref, String status, List<String> roles) {
    }

    /** Why a part node expires a consent: a needed role changed (AGE) or the chosen date passed (DATE). */
    @Serdeable
    public record Expiry(@NotNull @Pattern(regexp = "AGE|DATE", message = "must be AGE or DATE") String reason) {
    }

    /** The signal of the node about to accept an exchange. */
    @Serdeable
    public record Use(@NotBlank @Size(max = 100) String ref) {
    }

    @Serdeable
    public record Used(String status) {
    }
}
