package nl.betrokken.node.organisation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

/**
 * The removal a gemeente account is preparing in the werkplek, kept between the decisions form and the check page
 * (table {@code organisation_removal_draft}); dropped once the organisation is removed.
 */
@Singleton
class RemovalDrafts {

    private final TransactionOperations<Connection> transactions;
    private final JsonMapper json;
    private final Clock clock;

    RemovalDrafts(TransactionOperations<Connection> transactions, JsonMapper json, Clock clock) {
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    void save(String organisationId, String username, Removal removal) {
        String text;
        try {
            text = json.writeValueAsString(removal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            drop(c, organisationId, username);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO organisation_removal_draft"
                    + " (organisation_id, prepared_by, decisions, prepared_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, organisationId);
                insert.setString(2, username);
                insert.setString(3, text);
                insert.setTimestamp(4, Timestamp.from(clock.instant()));
                return insert.executeUpdate();
            }
        });
    }

    Optional<Removal> find(String organisationId, String username) {
        String text = transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement("SELECT decisions FROM"
                    + " organisation_removal_draft WHERE organisation_id = ? AND prepared_by = ?")) {
                select.setString(1, organisationId);
                select.setString(2, username);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        try {
            return text == null ? Optional.empty() : Optional.of(json.readValue(text, Removal.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void drop(String organisationId, String username) {
        transactions.executeWrite(status -> {
            drop(status.getConnection(), organisationId, username);
            return null;
        });
    }

    private static void drop(Connection c, String organisationId, String username) throws java.sql.SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM organisation_removal_draft WHERE organisation_id = ? AND prepared_by = ?")) {
            delete.setString(1, organisationId);
            delete.setString(2, username);
            delete.executeUpdate();
        }
    }
}
