package nl.betrokken.node.inzage;

import java.util.List;
import java.util.function.Function;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * A stand-in for a register of parental authority (as a BRP-based source would be): a bean of
 * {@link ParentalRelations} that the test feeds. Only on a node started with {@value #PROPERTY}; it carries no
 * {@code @Replaces}, so it also shows that the default ({@code @Secondary}) gives way to any other implementation.
 */
@Singleton
@Requires(property = RegisterRelations.PROPERTY, value = "true")
class RegisterRelations implements ParentalRelations {

    static final String PROPERTY = "betrokken.test.register-relations";
    static volatile Function<Bsn, List<CitizenInzage.Found>> source = person -> List.of();

    @Override
    public List<CitizenInzage.Found> signalsFor(Bsn person) {
        return source.apply(person);
    }
}
