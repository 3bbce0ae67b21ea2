package nl.betrokken.node.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PostConstruct;
import nl.betrokken.node.NodeConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev profile's demo users (password {@value #PASSWORD}), seeded at start-up as the contract names them, on node
 * N: {@code N-prof-a} and {@code N-prof-b} (professionals of {@code N-org-a} and {@code N-org-b}),
 * {@code N-coord-a} (instellingscoördinator of {@code N-org-a}), {@code N-gemeente}, {@code N-auditor},
 * {@code N-matchcoord} (the region's matchcoördinator) and {@code N-veiligthuis} (a Veilig Thuis triage worker).
 *
 * <p>Refuses to start unless {@code betrokken.dev.enabled} is true as well as the {@code dev} environment being
 * active: a known password must never reach a production node by a forgotten environment variable alone.
 */
@Context
@Requires(env = Environment.DEVELOPMENT)
class DevUsers {

    static final String PASSWORD = "demo";
    private static final Logger LOG = LoggerFactory.getLogger(DevUsers.class);

    private final Accounts accounts;
    private final NodeConfiguration node;
    private final boolean enabled;

    DevUsers(Accounts accounts, NodeConfiguration node, @Value("${betrokken.dev.enabled:false}") boolean enabled) {
        this.accounts = accounts;
        this.node = node;
        this.enabled = enabled;
    }

    @PostConstruct
    void seed() {
        if (!enabled) {
            throw new IllegalStateException("the dev environment seeds demo users with a known password; start it"
                    + " only with betrokken.dev.enabled=true (BETROKKEN_DEV_ENABLED=true) as well");
        }
        String n = node.nodeId();
        for (String org : new String[] {"a", "b"}) {
            String id = n + "-org-" + org;
            accounts.ensureOrganisation(id, id, opaque(id));
        }
        String hash = Passwords.hash(PASSWORD);
        accounts.ensure(new Account(n + "-prof-a", hash, Role.PROFESSIONAL, n + "-org-a", "Professional A (" + n + ")",
                n + "-prof-a@example.org", "+31 20 000 0001", true));
        accounts.ensure(new Account(n + "-prof-b", hash, Role.PROFESSIONAL, n + "-org-b", "Professional B (" + n + ")",
                n + "-prof-b@example.org", "+31 20 000 0002", true));
        accounts.ensure(new Account(n + "-coord-a", hash, Role.COORDINATOR, n + "-org-a", "Coördinator A (" + n + ")",
                n + "-coord-a@example.org", "+31 20 000 0003", true));
        accounts.ensure(new Account(n + "-gemeente", hash, Role.GEMEENTE, null, "Gemeente (" + n + ")",
                n + "-gemeente@example.org", null, true));
        accounts.ensure(new Account(n + "-auditor", hash, Role.AUDITOR, null, "Auditor (" + n + ")", null, null, true));
        accounts.ensure(new Account(n + "-matchcoord", hash, Role.MATCHCOORDINATOR, null,
                "Matchcoördinator (" + n + ")", n + "-matchcoord@example.org", "+31 20 000 0004", true));
        accounts.ensure(new Account(n + "-veiligthuis", hash, Role.VEILIG_THUIS, null, "Veilig Thuis (" + n + ")",
                n + "-veiligthuis@example.org", "+31 20 000 0005", true));
        LOG.warn("dev profile: demo users of node {} are seeded with a known password", n);
    }

    /** A stable opaque reference for a demo organisation. */
    private static String opaque(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("betrokken-dev-org:" + id).getBytes(StandardCharsets.UTF_8));
            return "o-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
