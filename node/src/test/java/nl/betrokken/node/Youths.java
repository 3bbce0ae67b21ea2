package nl.betrokken.node;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import nl.betrokken.crypto.bsn.Bsn;

/** Test data as a professional would enter it. */
public final class Youths {

    private static final Random RANDOM = new SecureRandom();

    private Youths() {
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

    /** A valid registration body for {@code youth} born on {@code birth}, with {@code parents}. */
    public static Map<String, Object> registration(String youth, String birth, String... parents) {
        Map<String, Object> body = new HashMap<>();
        Map<String, Object> y = new HashMap<>();
        y.put("bsn", youth);
        y.put("birthDate", birth);
        y.put("name", "Testkind");
        body.put("youth", y);
        body.put("parents", java.util.Arrays.stream(parents).map(p -> Map.of("bsn", p)).toList());
        body.put("ground", "c");
        body.put("parentsInformed", Map.of("on", LocalDate.now(ClockFactory.ZONE).toString()));
        return body;
    }

    public static Map<String, Object> registration(String youth) {
        return registration(youth, "2014-05-01");
    }

    /** Parents, as the list in a registration body. */
    public static List<Map<String, String>> parents(String... bsns) {
        return java.util.Arrays.stream(bsns).map(b -> Map.of("bsn", b)).toList();
    }
}
