package nl.betrokken.node.match;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The other side of a match: its organisation and the professional to contact. Never printed. */
@Serdeable
public record Contact(String organisation, String professional, @Nullable String email, @Nullable String phone) {
    @Override
    public String toString() {
        return "Contact[redacted]";
    }
}
