package nl.betrokken.node.consent;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import nl.betrokken.node.signal.ActivePeriod;

/**
 * Whose consent a part needs on a day, by the youth's age (Jeugdwet, WGBO): under 12 a parent's; from the 12th birthday
 * up to the day before the 16th both a parent's and the youth's; from the 16th birthday the youth's alone. Birthdays
 * as Dutch law counts them ({@link ActivePeriod#anniversary}: 29 February turns a year older on 1 March in a common
 * year). One parent's answer counts for PARENT.
 */
public final class ConsentRules {

    public static final String PARENT = "PARENT";
    public static final String YOUTH = "YOUTH";
    /** The request's statuses, as the coordinator's register names them. */
    public static final String PENDING = "PENDING";
    public static final String GRANTED = "GRANTED";
    public static final String REFUSED = "REFUSED";
    public static final String WITHDRAWN = "WITHDRAWN";
    public static final String EXPIRED = "EXPIRED";
    /** How far ahead a person may set the last day of a consent (a signal is active far shorter). */
    public static final java.time.Period LONGEST = java.time.Period.ofYears(5);

    private ConsentRules() {
    }

    /** The roles whose consent a part about a youth born on {@code birthDate} needs on {@code day}. */
    public static List<String> needs(LocalDate birthDate, LocalDate day) {
        if (day.isBefore(ActivePeriod.anniversary(birthDate, 12))) {
            return List.of(PARENT);
        }
        if (day.isBefore(ActivePeriod.anniversary(birthDate, 16))) {
            return List.of(PARENT, YOUTH);
        }
        return List.of(YOUTH);
    }

    /** Whether the needs on {@code day} differ from those on {@code since} (a 12th or 16th birthday lies between). */
    public static boolean changed(LocalDate birthDate, LocalDate since, LocalDate day) {
        return !needs(birthDate, since).equals(needs(birthDate, day));
    }

    /** The union of several parts' needs, PARENT before YOUTH. */
    public static List<String> union(List<List<String>> needs) {
        Set<String> all = new LinkedHashSet<>();
        needs.forEach(all::addAll);
        List<String> out = new ArrayList<>();
        if (all.contains(PARENT)) {
            out.add(PARENT);
        }
        if (all.contains(YOUTH)) {
            out.add(YOUTH);
        }
        return out;
    }

    static String join(List<String> roles) {
        return String.join(",", roles);
    }

    static List<String> split(String roles) {
        return roles == null || roles.isBlank() ? List.of() : List.of(roles.split(","));
    }
}
