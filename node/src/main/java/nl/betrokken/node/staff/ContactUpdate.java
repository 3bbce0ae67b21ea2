package nl.betrokken.node.staff;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code PATCH /api/v1/staff/{username}}: the fields given change, the others stay; {@code phone} "" removes the
 * phone number.
 */
@Serdeable
public record ContactUpdate(
        @Nullable @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
        String displayName,
        @Nullable @Size(max = 200) @Pattern(regexp = StaffRules.EMAIL, message = "must be an e-mail address")
        String email,
        @Nullable @Pattern(regexp = "|" + StaffRules.PHONE, message = "must be a phone number: digits, spaces, + ( ) -")
        String phone) {

    @Override
    public String toString() {
        return "ContactUpdate[redacted]";
    }
}
