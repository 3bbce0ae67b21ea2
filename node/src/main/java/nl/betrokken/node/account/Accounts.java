package nl.betrokken.node.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

/** Reads and writes accounts and organisations. */
@Singleton
public class Accounts {

    private final TransactionOperations<Connection> transactions;

    Accounts(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** The account, or empty when there is none with that username. */
    public Optional<Account> find(String username) {
        return transactions.executeRead(status -> find(status.getConnection(), username));
    }

    /**
     * The account; {@link Account#active()} is false as well when its organisation is suspended or removed
     * (organisation/), so that every sign-in, and every request of a session, refuses it.
     */
    static Optional<Account> find(Connection c, String username) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT username, password_hash, role, organisation_id, display_name, email, phone, active"
                        + " AND (organisation_id IS NULL OR EXISTS (SELECT 1 FROM organisation o"
                        + " WHERE o.id = account.organisation_id AND o.status = 'ACTIVE'))"
                        + " FROM account WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(rs.getString(1), rs.getString(2), Role.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8)));
            }
        }
    }

    /** An organisation's name and its opaque reference, or empty. */
    public Optional<Organisation> organisation(String id) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id, name, ref FROM organisation WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(new Organisation(rs.getString(1), rs.getString(2), rs.getString(3)))
                            : Optional.<Organisation>empty();
                }
            }
        });
    }

    /** An organisation of this node: its id, its name, and the opaque reference the coordinator sees. */
    public record Organisation(String id, String name, String ref) {
    }

    /** Adds an organisation unless it exists. */
    public void ensureOrganisation(String id, String name, String ref) {
        transactions.executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO organisation (id, name, ref) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, ref);
                return insert.executeUpdate();
            }
        });
    }

    /** Adds an account unless one with that username exists. */
    public void ensure(Account a) {
        transactions.executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO account (username, password_hash, role, organisation_id, display_name, email, phone,"
                            + " active) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, a.username());
                insert.setString(2, a.passwordHash());
                insert.setString(3, a.role().name());
                insert.setString(4, a.organisationId());
                insert.setString(5, a.displayName());
                insert.setString(6, a.email());
                insert.setString(7, a.phone());
                insert.setBoolean(8, a.active());
                return insert.executeUpdate();
            }
        });
    }
}
