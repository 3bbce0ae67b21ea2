package nl.betrokken.node.account;

import io.micronaut.core.annotation.Nullable;

/** One account as stored; contact data are personal data, so {@link #toString()} leaves them out. */
public record Account(String username, @Nullable String passwordHash, Role role, @Nullable String organisationId,
                      String displayName, @Nullable String email, @Nullable String phone, boolean active) {

    @Override
    public String toString() {
        return "Account[" + username + ", " + role + ", " + organisationId + "]";
    }
}
