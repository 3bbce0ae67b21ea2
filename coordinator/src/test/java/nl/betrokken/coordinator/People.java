package nl.betrokken.coordinator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;

/**
 * What a node would compute: valid BSNs, and signal records with their pseudonyms under a federation key ring the
 * coordinator never sees.
 */
public final class People {

    private static final Random RANDOM = new SecureRandom();
    public static final KeyRing FEDERATION = KeyRing.generate(new SecureRandom(), Instant.now());
    public static final Pseudonymizer PSEUDONYMS = HmacPseudonymizer.create(FEDERATION, Clock.systemUTC());

    private People() {
    }

    /** A random BSN that passes the elfproef. */
    public static String bsn() {
        while (true) {
            String s = String.format("%09d", 100_000_000 + RANDOM.nextInt(900_000_000));
            if (Bsn.isValid(s)) {
                return s;
            }
        }
    }

    /** A signal record on {@code youth} with {@code parents}, active from today for two years, under the primary epoch. */
    public static Map<String, Object> record(String ref, String organisation, String youth, String... parents) {
        return record(ref, organisation, LocalDate.now(ClockFactory.ZONE), PSEUDONYMS, youth, parents);
    }

    public static Map<String, Object> record(String ref, String organisation, LocalDate from, Pseudonymizer pseudonyms,
                                             String youth, String... parents) {
        Map<String, Object> r = new HashMap<>();
        r.put("ref", ref);
        r.put("organisation", organisation);
        r.put("activeFrom", from.toString());
        r.put("activeUntil", from.plusYears(2).minusDays(1).toString());
        r.put("pseudonyms", epochs(pseudonyms, youth, parents));
        return r;
    }

    /** The pseudonyms of youth and parents under every accepted epoch of {@code pseudonyms}. */
    public static List<Map<String, Object>> epochs(Pseudonymizer pseudonyms, String youth, String... parents) {
        List<Pseudonym> y = pseudonyms.pseudonymizeForMatching(Bsn.parse(youth));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < y.size(); i++) {
            List<String> ps = new ArrayList<>();
            for (String parent : parents) {
                ps.add(pseudonyms.pseudonymizeForMatching(Bsn.parse(parent)).get(i).encoded());
            }
            Map<String, Object> e = new HashMap<>();
            e.put("epoch", y.get(i).epoch());
            e.put("youth", y.get(i).encoded());
            e.put("parents", ps);
            out.add(e);
        }
        return out;
    }
}
