package nl.betrokken.node.organisation;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.staff.NewStaffMember;
import nl.betrokken.node.staff.StaffRules;
import nl.betrokken.node.staff.StaffService;
import nl.betrokken.problem.ProblemException;

/**
 * The operator's {@code java -jar node.jar account-add --username U --role R --name N [--email E]
 * [--organisation ID]}, R one of GEMEENTE, PROFESSIONAL, COORDINATOR, AUDITOR, MATCHCOORDINATOR and VEILIG_THUIS: adds an account against the node's database without starting its HTTP
 * server, for the region's first gemeente account (who then admits the organisations in the werkplek) or any other.
 * The account signs in through the region's identity provider, whose username claim must be {@code U}; it has no
 * password. A professional or coördinator needs {@code --organisation} (an active organisation of this node) and
 * {@code --email}; a gemeente or auditor account has no organisation. The addition is an audit entry by
 * {@code system:operator}, and for an organisation's account a {@code CREATED} line in its staff log.
 *
 * <p>Exit codes: 0 added; 2 the arguments are wrong (nothing is opened); 1 refused by what is stored (the username
 * is taken, the organisation unknown or not active). Messages name the argument.
 */
@Singleton
public class AccountAddCommand {

    static final String USAGE = "usage: node.jar account-add --username U"
            + " --role GEMEENTE|PROFESSIONAL|COORDINATOR|AUDITOR|MATCHCOORDINATOR|VEILIG_THUIS"
            + " --name N [--email E] [--organisation ID]";

    private final TransactionOperations<Connection> transactions;
    private final StaffService staff;
    private final NodeAudit audit;

    AccountAddCommand(TransactionOperations<Connection> transactions, StaffService staff, NodeAudit audit) {
        this.transactions = transactions;
        this.staff = staff;
        this.audit = audit;
    }

    /** The command's arguments, checked. */
    record Arguments(String username, Role role, String name, @Nullable String email, @Nullable String organisation) {
    }

    /** A refusal of the arguments, with its message. */
    static final class BadArguments extends Exception {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses and checks {@code args} (the first is the command's name) without opening anything. */
    static Arguments parse(String[] args) throws BadArguments {
        Map<String, String> options = new HashMap<>();
        List<String> known = List.of("--username", "--role", "--name", "--email", "--organisation");
        for (int i = 1; i < args.length; i += 2) {
            if (!known.contains(args[i])) {
                throw new BadArguments("unknown argument " + args[i]);
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                throw new BadArguments(args[i] + " needs a value");
            }
            if (options.put(args[i], args[i + 1].strip()) != null) {
                throw new BadArguments(args[i] + " is given twice");
            }
        }
        for (String required : List.of("--username", "--role", "--name")) {
            if (!options.containsKey(required)) {
                throw new BadArguments(required + " is required");
            }
        }
        String username = options.get("--username");
        if (!username.matches(StaffRules.USERNAME)) {
            throw new BadArguments("--username must be 3 to 100 letters, digits or . _ @ - (the identity provider's"
                    + " preferred_username)");
        }
        Role role;
        try {
            role = Role.valueOf(options.get("--role"));
        } catch (IllegalArgumentException e) {
            role = null;
        }
        if (role == null || role == Role.CITIZEN) {
            throw new BadArguments("--role must be GEMEENTE, PROFESSIONAL, COORDINATOR, AUDITOR, MATCHCOORDINATOR or"
                    + " VEILIG_THUIS");
        }
        String name = options.get("--name");
        if (name.length() > 200) {
            throw new BadArguments("--name must be at most 200 characters");
        }
        String email = options.get("--email");
        if (email != null && (email.length() > 200 || !email.matches(StaffRules.EMAIL))) {
            throw new BadArguments("--email must be an e-mail address");
        }
        String organisation = options.get("--organisation");
        boolean inOrganisation = role == Role.PROFESSIONAL || role == Role.COORDINATOR;
        if (inOrganisation && organisation == null) {
            throw new BadArguments("--organisation is required for a " + role.name().toLowerCase()
                    + " (the id the werkplek shows at the organisation)");
        }
        if (!inOrganisation && organisation != null) {
            throw new BadArguments("--organisation is only for a professional or coordinator; a "
                    + role.name().toLowerCase() + " account belongs to no organisation");
        }
        if (inOrganisation && email == null) {
            throw new BadArguments("--email is required for a " + role.name().toLowerCase()
                    + ": matches and notifications are sent there");
        }
        return new Arguments(username, role, name, email, organisation);
    }

    /**
     * Runs the command: parses {@code args}, then adds the account in the context {@code context} makes (the node's
     * configuration: its database); messages to {@code out} and {@code err}. Returns the exit code.
     */
    public static int run(String[] args, Supplier<ApplicationContext> context, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = parse(args);
        } catch (BadArguments e) {
            err.println("account-add: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (ApplicationContext c = context.get()) {
            String refusal = c.getBean(AccountAddCommand.class).add(a);
            if (refusal != null) {
                err.println("account-add: " + refusal);
                return 1;
            }
        }
        out.println("account-add: account " + a.username() + " (" + a.role() + ") added; it signs in through the"
                + " region's identity provider as " + a.username());
        return 0;
    }

    /** Adds the account in one transaction; returns why not, or null when it was added. */
    @Nullable
    String add(Arguments a) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            if (exists(c, "SELECT 1 FROM account WHERE username = ?", a.username())) {
                return "--username " + a.username() + " is taken: there is already an account with this username";
            }
            if (a.organisation() != null) {
                if (!exists(c, "SELECT 1 FROM organisation WHERE id = ? AND status = 'ACTIVE'", a.organisation())) {
                    return "--organisation " + a.organisation() + " is no active organisation of this node";
                }
                try {
                    staff.add(new StaffService.Caller("operator", a.organisation(), "system"),
                            new NewStaffMember(a.username(), a.name(), a.email(), null, a.role().name(), null));
                } catch (ProblemException e) {
                    return "--username " + a.username() + " is taken: " + e.problem().detail();
                }
            } else {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO account (username, role, display_name,"
                        + " email, active) VALUES (?, ?, ?, ?, TRUE)")) {
                    insert.setString(1, a.username());
                    insert.setString(2, a.role().name());
                    insert.setString(3, a.name());
                    insert.setString(4, a.email());
                    insert.executeUpdate();
                }
            }
            audit.record(c, AuditEvent.of("account.added", "system:operator", NodeAudit.account(a.username()))
                    .with("role", a.role().name()));
            return null;
        });
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, value);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }
}
