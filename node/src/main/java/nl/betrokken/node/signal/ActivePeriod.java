package nl.betrokken.node.signal;

import java.time.LocalDate;
import java.time.Month;

/**
 * The law's two dates that end a signal, counted in whole years as Dutch law counts them. A date {@code n} years on
 * is the same day and month; for 29 February in a year that has none, it is 1 March (someone born on 29 February
 * turns a year older on 1 March in a common year). {@link LocalDate#plusYears} would give 28 February instead, a day
 * early.
 *
 * <ul>
 *   <li>A youth is under 23 until the day before the 23rd birthday: born 29 February 2004, the 23rd birthday is
 *       1 March 2027 and the last day under 23 is 28 February 2027.</li>
 *   <li>A signal is active for two years: from the day of registration through the day before its second
 *       anniversary. Registered 10 March 2025: through 9 March 2027. Registered 29 February 2028: the anniversary is
 *       1 March 2030, so through 28 February 2030, exactly two years of days like any other registration.</li>
 * </ul>
 * The coordinator takes these dates as the node sends them ({@code activeFrom}, {@code activeUntil}); it computes none.
 */
public final class ActivePeriod {

    /** A signal's active period in years (Jeugdwet; docs/node.md). */
    public static final int YEARS_ACTIVE = 2;
    /** The age at which a youth no longer falls under the verwijsindex. */
    public static final int AGE_LIMIT = 23;

    private ActivePeriod() {
    }

    /** The date {@code years} years after {@code date}: the same date, or 1 March for 29 February in a common year. */
    public static LocalDate anniversary(LocalDate date, int years) {
        LocalDate later = date.plusYears(years);
        if (date.getMonth() == Month.FEBRUARY && date.getDayOfMonth() == 29 && later.getDayOfMonth() != 29) {
            return later.plusDays(1);
        }
        return later;
    }

    /** The last day on which a youth born on {@code birthDate} is under 23: the day before the 23rd birthday. */
    public static LocalDate lastDayUnder23(LocalDate birthDate) {
        return anniversary(birthDate, AGE_LIMIT).minusDays(1);
    }

    /** The last day of the two years a signal registered on {@code registeredOn} may be active. */
    public static LocalDate lastDayOfTwoYears(LocalDate registeredOn) {
        return anniversary(registeredOn, YEARS_ACTIVE).minusDays(1);
    }

    /** The last day a signal registered on {@code registeredOn} for a youth born on {@code birthDate} is active. */
    public static LocalDate activeUntil(LocalDate registeredOn, LocalDate birthDate) {
        LocalDate period = lastDayOfTwoYears(registeredOn);
        LocalDate under23 = lastDayUnder23(birthDate);
        return under23.isBefore(period) ? under23 : period;
    }
}
