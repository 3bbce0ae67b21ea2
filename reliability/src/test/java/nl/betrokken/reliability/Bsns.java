package nl.betrokken.reliability;

/** Valid (elfproef) BSNs, one for each number, all distinct. */
final class Bsns {

    private Bsns() {
    }

    /**
     * The BSN for {@code n} (0 &lt;= n &lt; 1,000,000): {@code 2}, n in six digits, a seventh digit chosen so that the
     * check digit (d9 = the sum of (10 - i) * di for i = 1..8, mod 11) is not 10, and the check digit. Distinct n give
     * distinct BSNs.
     */
    static String valid(int n) {
        if (n < 0 || n >= 1_000_000) {
            throw new IllegalArgumentException("n out of range: " + n);
        }
        // Seven digits: n in the first six, the seventh free to dodge a check digit of 10.
        for (int last = 0; last < 10; last++) {
            String eight = "2" + String.format("%06d", n) + last;
            int sum = 0;
            for (int i = 0; i < 8; i++) {
                sum += (9 - i) * (eight.charAt(i) - '0');
            }
            int check = sum % 11;
            if (check < 10) {
                return eight + check;
            }
        }
        throw new IllegalStateException("no check digit for " + n);
    }
}
