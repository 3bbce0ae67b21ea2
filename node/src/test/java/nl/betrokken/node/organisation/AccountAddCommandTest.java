package nl.betrokken.node.organisation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.function.Supplier;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.account.Role;

/**
 * {@code java -jar node.jar account-add …} against a node's database with the node stopped, as the operator runs it
 * for the region's first gemeente account; and what it refuses.
 */
class AccountAddCommandTest {

    /** What a run printed and answered. */
    record Run(int code, String out, String err) {
    }

    static Run run(Supplier<ApplicationContext> context, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "account-add";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = AccountAddCommand.run(all, context, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArguments_exit2_namingTheArgument_withoutOpeningTheDatabase() {
        Supplier<ApplicationContext> never = () -> {
            throw new AssertionError("the database is not opened for bad arguments");
        };
        assertRefused(run(never, "--username", "g1", "--role", "GEMEENTE", "--name", "G"), 2, "--username");
        assertRefused(run(never, "--username", "gemeente1", "--role", "BURGEMEESTER", "--name", "G"), 2, "--role");
        assertRefused(run(never, "--username", "gemeente1", "--role", "CITIZEN", "--name", "G"), 2, "--role");
        assertRefused(run(never, "--username", "gemeente1", "--role", "GEMEENTE"), 2, "--name");
        assertRefused(run(never, "--username", "gemeente1", "--role", "GEMEENTE", "--name", "G", "--email", "x@"), 2,
                "--email");
        assertRefused(run(never, "--username", "gemeente1", "--role", "GEMEENTE", "--name", "G", "--organisation",
                "org-1"), 2, "--organisation");
        assertRefused(run(never, "--username", "p1x", "--role", "PROFESSIONAL", "--name", "P", "--email",
                "p@org.example"), 2, "--organisation");
        assertRefused(run(never, "--username", "gemeente1", "--role", "GEMEENTE", "--name"), 2, "--name");
        assertRefused(run(never, "--gebruiker", "gemeente1"), 2, "--gebruiker");
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void addsTheFirstGemeenteAccount_audited_andRefusesATakenUsernameOrUnknownOrganisation(NodeHarness.Db db) {
        Map<String, Object> properties = NodeHarness.prepare(db, "noord", null, null);
        Supplier<ApplicationContext> context = () -> ApplicationContext.builder().properties(properties)
                .environments("test").start();
        Run added = run(context, "--username", "j.jansen@gemeente.example", "--role", "GEMEENTE", "--name",
                "J. Jansen", "--email", "j.jansen@gemeente.example");
        assertEquals(0, added.code(), added.err());
        assertTrue(added.out().contains("j.jansen@gemeente.example"), added.out());
        assertRefused(run(context, "--username", "j.jansen@gemeente.example", "--role", "AUDITOR", "--name", "X"), 1,
                "--username");
        assertRefused(run(context, "--username", "k.klaassen", "--role", "COORDINATOR", "--name", "K", "--email",
                "k@org.example", "--organisation", "org-onbekend"), 1, "--organisation");
        try (ApplicationContext c = context.get()) {
            Account account = c.getBean(Accounts.class).find("j.jansen@gemeente.example").orElseThrow();
            assertEquals(Role.GEMEENTE, account.role());
            assertTrue(account.active());
            assertEquals(null, account.passwordHash(), "no password: the identity provider signs the account in");
            assertEquals(1, count(c, "SELECT count(*) FROM audit_entry WHERE kind = 'account.added'"));
            assertEquals(0, count(c, "SELECT count(*) FROM account WHERE username = 'k.klaassen'"));
        }
    }

    static void assertRefused(Run run, int code, String argument) {
        assertEquals(code, run.code(), run.err());
        assertTrue(run.err().contains(argument), run.err());
        assertTrue(run.out().isEmpty(), run.out());
    }

    @SuppressWarnings("unchecked")
    static long count(ApplicationContext c, String sql) {
        return ((TransactionOperations<Connection>) c.getBean(TransactionOperations.class)).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
