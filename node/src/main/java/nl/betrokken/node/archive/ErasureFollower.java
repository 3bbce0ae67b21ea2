package nl.betrokken.node.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * What else must follow when a signal is erased ({@link ArchiveService#eraseEverywhere}, and the archive's erasure
 * after five years in {@link ArchiveService#run}): a bean of another part (objection/ closes the signal's other open
 * objections) told in the erasure's transaction, so that both happen or neither.
 */
public interface ErasureFollower {

    /** Why a signal was erased everywhere: withdrawn by its professional as made in error. */
    String IN_ERROR = "in-error";
    /** Why a signal was erased everywhere: an objection to it was upheld. */
    String OBJECTION_UPHELD = "bezwaar";
    /** Why a signal was erased: its five years in the archive were over ({@link ArchiveService#run}). */
    String RETENTION = "retention";

    /**
     * Signal {@code signalId} was erased by {@code actor} for {@code why} ({@link #IN_ERROR}, {@link #OBJECTION_UPHELD},
     * {@link #RETENTION})
     * in the transaction of {@code c}.
     */
    void erased(Connection c, UUID signalId, String actor, String why) throws SQLException;
}
