package nl.betrokken.node.account;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.security.authentication.Authentication;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * A signed-in parent or youth: role {@link Role#CITIZEN}, the name {@value #NAME} (never the BSN: the name reaches
 * logs and audit entries), and the person's {@link Bsn} as the attribute {@value #BSN}, whose {@code toString} is
 * redacted.
 */
public final class Citizens {

    /** The attribute that carries the citizen's {@link Bsn}. */
    public static final String BSN = "bsn";
    /** The name of every citizen's sign-in. */
    public static final String NAME = "citizen";

    private Citizens() {
    }

    static Authentication of(Bsn bsn) {
        return Authentication.build(NAME, List.of(Role.CITIZEN.name()), Map.of(BSN, bsn));
    }

    /** The BSN of a citizen's sign-in, or empty for anyone else. */
    public static Optional<Bsn> bsn(Authentication user) {
        return user.getRoles().contains(Role.CITIZEN.name()) && user.getAttributes().get(BSN) instanceof Bsn bsn
                ? Optional.of(bsn) : Optional.empty();
    }
}
