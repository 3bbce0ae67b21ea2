package nl.betrokken.node.veiligthuis;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A Veilig Thuis look-up as stored (V21, {@code veilig_thuis_lookup}): at the asking node the look-up itself
 * ({@link #ASKED}), at a holding node one signal it served ({@link #SERVED}). The reason is sealed with the node's Aead,
 * bound to the row. Never printed, never returned from a controller.
 */
@MappedEntity("veilig_thuis_lookup")
record VeiligThuisLookupRow(@Id UUID rowId, UUID lookupId, String kind, String askerNode, String worker,
                            @Nullable UUID signalId, @Nullable Integer found, @Nullable Integer unavailable,
                            Instant at, byte[] reasonSealed) {

    static final String ASKED = "ASKED";
    static final String SERVED = "SERVED";

    @Override
    public String toString() {
        return "VeiligThuisLookupRow[" + lookupId + ", " + kind + "]";
    }
}
