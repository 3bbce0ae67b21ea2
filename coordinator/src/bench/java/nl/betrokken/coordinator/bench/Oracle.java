package nl.betrokken.coordinator.bench;

import java.util.Arrays;

/**
 * The matches a national year must give, computed in memory from the plain generated data (youth and parent
 * indexes, never pseudonyms), independently of the coordinator's code.
 *
 * <ul>
 *   <li><b>CHILD</b>: two signals on the same youth from different organisations, where an organisation is a node
 *       plus that node's organisation reference.</li>
 *   <li><b>FAMILY</b>: two signals on different youths that both name a common parent, from different
 *       organisations. (Such a pair can never also be a child pair: its youths differ.) A pair of signals sharing
 *       two parents is one match.</li>
 *   <li>A match is <b>across</b> regions when the two signals come from different nodes.</li>
 * </ul>
 * All signals of the year are active today, so every such pair is a match.
 */
public final class Oracle {

    /** Expected match counts. */
    public record Counts(long childWithin, long childAcross, long familyWithin, long familyAcross) {
        public long total() {
            return childWithin + childAcross + familyWithin + familyAcross;
        }
    }

    private Oracle() {
    }

    public static Counts expected(NationalYear year) {
        int n = year.signals();
        long childWithin = 0;
        long childAcross = 0;

        // Signals per youth (a CSR index: start[y] .. start[y+1]).
        int[][] byYouth = index(n, year.youths(), s -> year.youth[s], s -> -1);
        int[] start = byYouth[0];
        int[] list = byYouth[1];
        for (int y = 0; y < year.youths(); y++) {
            for (int i = start[y]; i < start[y + 1]; i++) {
                for (int j = i + 1; j < start[y + 1]; j++) {
                    int a = list[i];
                    int b = list[j];
                    if (sameOrganisation(year, a, b)) {
                        continue;
                    }
                    if (year.node[a] == year.node[b]) {
                        childWithin++;
                    } else {
                        childAcross++;
                    }
                }
            }
        }

        // Signals per parent; every qualifying pair once, whichever parents it shares.
        int[][] byParent = index(n, year.parents(), s -> year.parentA[s], s -> year.parentB[s]);
        start = byParent[0];
        list = byParent[1];
        long[] pairs = new long[1 << 20];
        int count = 0;
        for (int p = 0; p < year.parents(); p++) {
            for (int i = start[p]; i < start[p + 1]; i++) {
                for (int j = i + 1; j < start[p + 1]; j++) {
                    int a = list[i];
                    int b = list[j];
                    if (year.youth[a] == year.youth[b] || sameOrganisation(year, a, b)) {
                        continue;
                    }
                    if (count == pairs.length) {
                        pairs = Arrays.copyOf(pairs, pairs.length * 2);
                    }
                    pairs[count++] = ((long) Math.min(a, b) << 32) | Math.max(a, b);
                }
            }
        }
        Arrays.sort(pairs, 0, count);
        long familyWithin = 0;
        long familyAcross = 0;
        for (int i = 0; i < count; i++) {
            if (i > 0 && pairs[i] == pairs[i - 1]) {
                continue;
            }
            int a = (int) (pairs[i] >>> 32);
            int b = (int) pairs[i];
            if (year.node[a] == year.node[b]) {
                familyWithin++;
            } else {
                familyAcross++;
            }
        }
        return new Counts(childWithin, childAcross, familyWithin, familyAcross);
    }

    private static boolean sameOrganisation(NationalYear year, int a, int b) {
        return year.node[a] == year.node[b] && year.organisation[a] == year.organisation[b];
    }

    /** {start, list}: for each key k, list[start[k] .. start[k+1]) holds the signals with key k (one or two keys each). */
    private static int[][] index(int signals, int keys, java.util.function.IntUnaryOperator first,
                                 java.util.function.IntUnaryOperator second) {
        int[] start = new int[keys + 1];
        for (int s = 0; s < signals; s++) {
            int k1 = first.applyAsInt(s);
            int k2 = second.applyAsInt(s);
            if (k1 >= 0) {
                start[k1 + 1]++;
            }
            if (k2 >= 0 && k2 != k1) {
                start[k2 + 1]++;
            }
        }
        for (int k = 0; k < keys; k++) {
            start[k + 1] += start[k];
        }
        int[] fill = Arrays.copyOf(start, keys);
        int[] list = new int[start[keys]];
        for (int s = 0; s < signals; s++) {
            int k1 = first.applyAsInt(s);
            int k2 = second.applyAsInt(s);
            if (k1 >= 0) {
                list[fill[k1]++] = s;
            }
            if (k2 >= 0 && k2 != k1) {
                list[fill[k2]++] = s;
            }
        }
        return new int[][] {start, list};
    }
}
