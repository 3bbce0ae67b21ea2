package nl.betrokken.crypto.token;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The name and JSON type of a custom claim, e.g. {@code Claim.string("ticket")} or
 * {@code Claim.stringList("signals")}. Used to put a value into {@link TokenClaims.Builder#claim(Claim, Object)},
 * to read it back with {@link TokenClaims#get(Claim)}, and to tell an {@link Es256TokenVerifier} which claims a
 * token must carry.
 *
 * <p>The registered names {@code iss, sub, aud, exp, nbf, iat, jti} (RFC 7519 section 4.1) are refused: those
 * have their own typed fields in {@link TokenClaims}.
 *
 * <p>Two claims are equal when they have the same name and type. Instances are immutable.
 *
 * @param <T> the Java type of the value
 */
public final class Claim<T> {

    /** The registered claim names this package manages itself (RFC 7519 section 4.1). */
    static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private enum Kind {
        STRING("a string"),
        NUMBER("a whole number"),
        BOOLEAN("a boolean"),
        STRING_LIST("a list of strings");

        private final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private final String name;
    private final Kind kind;

    private Claim(String name, Kind kind) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("claim name must not be blank");
        }
        if (REGISTERED.contains(name)) {
            throw new IllegalArgumentException(
                    "claim name '" + name + "' is a registered JWT claim; use the TokenClaims field for it");
        }
        this.name = name;
        this.kind = kind;
    }

    /** A claim whose value is a JSON string. */
    public static Claim<String> string(String name) {
        return new Claim<>(name, Kind.STRING);
    }

    /** A claim whose value is a JSON number without a fractional part, read as a {@code Long}. */
    public static Claim<Long> number(String name) {
        return new Claim<>(name, Kind.NUMBER);
    }

    /** A claim whose value is a JSON boolean. */
    public static Claim<Boolean> bool(String name) {
        return new Claim<>(name, Kind.BOOLEAN);
    }

    /** A claim whose value is a JSON array of strings, read as an unmodifiable {@code List<String>}. */
    public static Claim<List<String>> stringList(String name) {
        return new Claim<>(name, Kind.STRING_LIST);
    }

    /** The claim's name in the JWT payload. */
    public String name() {
        return name;
    }

    /** How the type reads in an error message: "a string", "a whole number", ... */
    String typeDescription() {
        return kind.description;
    }

    /**
     * Checks a value on its way into a token and returns what to store. Requires a non-null value; a list must
     * hold only strings.
     */
    Object encode(T value) {
        if (value == null) {
            throw new IllegalArgumentException("value of claim '" + name + "' is null");
        }
        if (kind == Kind.STRING_LIST) {
            List<?> list = (List<?>) value;
            if (!list.stream().allMatch(String.class::isInstance)) {
                throw new IllegalArgumentException("claim '" + name + "' contains a null or non-string element");
            }
            return List.copyOf(list);
        }
        return value;
    }

    /**
     * Reads a value parsed from JSON, or returns {@code null} if it is not of this claim's type. A number with a
     * fractional part is not a whole number, even when it ends in ".0".
     */
    @SuppressWarnings("unchecked")
    T decode(Object raw) {
        Object value = switch (kind) {
            case STRING -> raw instanceof String ? raw : null;
            case NUMBER -> raw instanceof Long ? raw : raw instanceof Integer i ? Long.valueOf(i) : null;
            case BOOLEAN -> raw instanceof Boolean ? raw : null;
            case STRING_LIST -> raw instanceof List<?> list && list.stream().allMatch(String.class::isInstance)
                    ? List.copyOf(list)
                    : null;
        };
        return (T) value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Claim<?> other && name.equals(other.name) && kind == other.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind);
    }

    @Override
    public String toString() {
        return "Claim[" + name + ", " + kind.description + "]";
    }
}
