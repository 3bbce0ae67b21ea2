package nl.betrokken.node.organisation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code POST /api/v1/organisations}: a new organisation of the convenant and its instellingscoördinator's account.
 * The fields are checked by {@link OrganisationService#check} (the API and the pages alike), not by annotations.
 */
@Serdeable
public record Admission(@Nullable String name, @Nullable String sector, @Schema(type = "object") @Nullable Coordinator coordinator) {

    /**
     * The coördinator: {@code username} as the region's identity provider names them ({@code preferred_username}),
     * the name shown to others, the e-mail address; {@code initialPassword} only in the dev environment.
     */
    @Serdeable
    public record Coordinator(@Nullable String username, @Nullable String displayName, @Nullable String email,
                              @Nullable String initialPassword) {
        @Override
        public String toString() {
            return "Coordinator[" + username + "]";
        }
    }
}
