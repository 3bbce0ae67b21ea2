package nl.betrokken.node.staff;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/staff}: a new account in the caller's organisation. {@code role} is PROFESSIONAL (the default)
 * or COORDINATOR. The account signs in through the region's identity provider (OIDC), whose username claim
 * ({@code preferred_username}) must be {@code username}. {@code initialPassword} (HTTP Basic) is accepted only in the
 * dev environment; elsewhere it is refused with 400.
 */
@Serdeable
public record NewStaffMember(
        @NotBlank @Pattern(regexp = StaffRules.USERNAME, message = "must be 3 to 100 letters, digits or . _ @ -")
        String username,
        @NotBlank @Size(max = 200) String displayName,
        @NotBlank @Size(max = 200) @Pattern(regexp = StaffRules.EMAIL, message = "must be an e-mail address")
        String email,
        @Nullable @Pattern(regexp = StaffRules.PHONE, message = "must be a phone number: digits, spaces, + ( ) -")
        String phone,
        @Nullable @Pattern(regexp = "PROFESSIONAL|COORDINATOR", message = "must be PROFESSIONAL or COORDINATOR")
        String role,
        @Nullable @Size(min = 12, max = 72, message = "must be 12 to 72 characters") String initialPassword) {

    @Override
    public String toString() {
        return "NewStaffMember[" + username + "]";
    }
}
