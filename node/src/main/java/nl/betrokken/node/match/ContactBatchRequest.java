package nl.betrokken.node.match;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /federation/v1/contacts/batch} from another node: the match tickets and the asker's signal references
 * of up to {@value #MAX} matches, each as {@link ContactRequest}, in a body of at most 64 KB.
 */
@Serdeable
public record ContactBatchRequest(@NotNull @Size(max = MAX) List<@Valid @NotNull ContactRequest> tickets) {

    /** The most matches one call asks about. */
    public static final int MAX = 100;
    /**
     * The most characters of tickets and references an asker puts in one call: its body must stay under the node's
     * limit for every body but a message's (64 KB, exchange/BodyLimit); a ticket is about 700 characters.
     */
    public static final int MAX_CHARS = 48 * 1024;
}
