package nl.betrokken.node.staff;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;

/**
 * The werkplek's forms about an account, checked by the same rules as {@code POST /api/v1/staff} and
 * {@code PATCH /api/v1/staff/{username}}: the request records' own constraints ({@link NewStaffMember},
 * {@link ContactUpdate}, validated here as the API's {@code @Valid} does) and the service's refusals
 * ({@link StaffService}'s problems). Each refusal becomes the Dutch text key of the page's field, by the field the
 * rule names.
 */
@Singleton
public class MedewerkerVelden {

    /** The page's field for each field of the API. */
    private static final Map<String, String> VELD = Map.of("displayName", "naam", "username", "gebruikersnaam",
            "email", "email", "phone", "telefoon", "handOverTo", "collega", "role", "rol");

    private final Validator validator;

    MedewerkerVelden(Validator validator) {
        this.validator = validator;
    }

    /** The errors of a new account, by the page's field ({@code naam}, {@code gebruikersnaam}, …): text keys. */
    public Map<String, String> fouten(NewStaffMember request) {
        return fouten(validator.validate(request), field -> switch (field) {
            case "displayName" -> request.displayName();
            case "username" -> request.username();
            case "email" -> request.email();
            default -> null;
        });
    }

    /** The errors of a change of contact data, by the page's field: text keys. */
    public Map<String, String> fouten(ContactUpdate update) {
        return fouten(validator.validate(update), field -> switch (field) {
            case "displayName" -> update.displayName();
            case "email" -> update.email();
            default -> null;
        });
    }

    /**
     * The error of a refusal by {@link StaffService} ({@code 400} or {@code 409} naming a field), by the page's
     * field; empty for any other problem, which the page does not handle.
     */
    public static Map<String, String> fouten(ProblemException refusal) {
        Problem p = refusal.problem();
        Map<String, String> out = new LinkedHashMap<>();
        if (p.violations() == null || (p.status() != 400 && p.status() != 409)) {
            return out;
        }
        for (Problem.Violation v : p.violations()) {
            String key = switch (v.field()) {
                case "username" -> p.status() == 409 && p.type().endsWith("/account-exists")
                        ? Tekst.key("werkplek.medewerker.fout.gebruikersnaam.bestaat")
                        : p.status() == 409 ? Tekst.key("werkplek.medewerker.fout.al-gedeactiveerd")
                        : Tekst.key("werkplek.medewerker.fout.eigen-account");
                case "handOverTo" -> p.status() == 409 && p.type().endsWith("/hand-over-required")
                        ? Tekst.key("werkplek.medewerker.fout.collega.leeg")
                        : p.status() == 409 ? Tekst.key("werkplek.medewerker.fout.collega.gedeactiveerd")
                        : Tekst.key("werkplek.medewerker.fout.collega.ongeldig");
                case "email" -> Tekst.key("werkplek.medewerker.fout.email.ongeldig");
                case "phone" -> Tekst.key("werkplek.medewerker.fout.telefoon.ongeldig");
                case "displayName" -> Tekst.key("werkplek.medewerker.fout.naam.leeg");
                default -> null;
            };
            if (key != null) {
                out.putIfAbsent(VELD.get(v.field()), key);
            }
        }
        return out;
    }

    /** The violations by the page's field; {@code typed} gives the value of an API field, to tell empty from wrong. */
    private static <T> Map<String, String> fouten(Set<ConstraintViolation<T>> violations,
                                                  Function<String, String> typed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConstraintViolation<T> v : violations) {
            String field = field(v.getPropertyPath());
            String value = typed.apply(field);
            boolean blank = value == null || value.isBlank();
            String key = switch (field) {
                case "displayName" -> blank ? Tekst.key("werkplek.medewerker.fout.naam.leeg")
                        : Tekst.key("werkplek.medewerker.fout.naam.lang");
                case "username" -> blank ? Tekst.key("werkplek.medewerker.fout.gebruikersnaam.leeg")
                        : Tekst.key("werkplek.medewerker.fout.gebruikersnaam.ongeldig");
                case "email" -> blank ? Tekst.key("werkplek.medewerker.fout.email.leeg")
                        : Tekst.key("werkplek.medewerker.fout.email.ongeldig");
                case "phone" -> Tekst.key("werkplek.medewerker.fout.telefoon.ongeldig");
                case "role" -> Tekst.key("werkplek.medewerker.fout.rol.ongeldig");
                default -> null; // initialPassword: the pages send none
            };
            if (key != null) {
                out.putIfAbsent(VELD.get(field), key);
            }
        }
        return out;
    }

    private static String field(Path path) {
        String last = null;
        for (Path.Node node : path) {
            last = node.getName();
        }
        return last == null ? "" : last;
    }
}
