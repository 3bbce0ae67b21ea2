package nl.betrokken.node.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Whose consent a part needs, on the days before, of and after the 12th and 16th birthdays, and for 29 February. */
class ConsentRulesTest {

    private static final List<String> PARENT = List.of("PARENT");
    private static final List<String> BOTH = List.of("PARENT", "YOUTH");
    private static final List<String> YOUTH = List.of("YOUTH");

    @Test
    void twelfthBirthday_addsTheYouth_onTheDayItself() {
        LocalDate born = LocalDate.of(2014, 6, 15);
        assertEquals(PARENT, ConsentRules.needs(born, LocalDate.of(2026, 6, 14)));
        assertEquals(BOTH, ConsentRules.needs(born, LocalDate.of(2026, 6, 15)));
        assertEquals(BOTH, ConsentRules.needs(born, LocalDate.of(2026, 6, 16)));
    }

    @Test
    void sixteenthBirthday_leavesTheYouthAlone_onTheDayItself() {
        LocalDate born = LocalDate.of(2010, 6, 15);
        assertEquals(BOTH, ConsentRules.needs(born, LocalDate.of(2026, 6, 14)));
        assertEquals(YOUTH, ConsentRules.needs(born, LocalDate.of(2026, 6, 15)));
        assertEquals(YOUTH, ConsentRules.needs(born, LocalDate.of(2026, 6, 16)));
    }

    @Test
    void bornOn29February_inALeapYear_birthdayIs29February() {
        LocalDate born = LocalDate.of(2012, 2, 29);
        assertEquals(PARENT, ConsentRules.needs(born, LocalDate.of(2024, 2, 28)));
        assertEquals(BOTH, ConsentRules.needs(born, LocalDate.of(2024, 2, 29)));
        assertEquals(BOTH, ConsentRules.needs(born, LocalDate.of(2028, 2, 28)));
        assertEquals(YOUTH, ConsentRules.needs(born, LocalDate.of(2028, 2, 29)));
    }

    @Test
    void bornOn29February_commonYearBirthdays_are1March() {
        // Born 29 February 2016: 12th birthday in 2028 (leap, 29 Feb); 16th birthday in 2032 (leap). Born 29 February
        // 2020: 12 in 2032 (leap), 16 in 2036 (leap). Leap years every 4 years make 12 and 16 years later leap years
        // too, so a common-year case needs a century year: born 29 February 2088, 12 in 2100 (not a leap year).
        LocalDate born = LocalDate.of(2088, 2, 29);
        assertEquals(PARENT, ConsentRules.needs(born, LocalDate.of(2100, 2, 28)));
        assertEquals(BOTH, ConsentRules.needs(born, LocalDate.of(2100, 3, 1)), "1 March in a common year");
        LocalDate born16 = LocalDate.of(2084, 2, 29);
        assertEquals(BOTH, ConsentRules.needs(born16, LocalDate.of(2100, 2, 28)));
        assertEquals(YOUTH, ConsentRules.needs(born16, LocalDate.of(2100, 3, 1)));
    }

    @Test
    void changed_onlyWhenABirthdayLiesBetween() {
        LocalDate born = LocalDate.of(2014, 6, 15);
        assertFalse(ConsentRules.changed(born, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 14)));
        assertTrue(ConsentRules.changed(born, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 15)));
        assertTrue(ConsentRules.changed(LocalDate.of(2010, 6, 15), LocalDate.of(2026, 6, 14), LocalDate.of(2026, 6, 15)));
    }

    @Test
    void union_parentBeforeYouth() {
        assertEquals(BOTH, ConsentRules.union(List.of(YOUTH, PARENT)));
        assertEquals(PARENT, ConsentRules.union(List.of(PARENT, PARENT)));
    }
}
