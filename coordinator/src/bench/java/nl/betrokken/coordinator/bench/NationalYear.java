package nl.betrokken.coordinator.bench;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * A synthetic national year of signals, calibrated to the seed's 2020 figures (DOMAIN.md): 66 nodes (65 convenant
 * regions and the Raad voor de Kinderbescherming), the largest region sending about a third of all signals, and
 * families with siblings, so that family matches outnumber child matches as in the seed's table.
 *
 * <p>Everything follows from {@link Params#seed}: the same parameters give the same year (the same BSNs, the same
 * signals in the same order). Only the active dates are relative to {@code today}, so that every signal is active
 * when the coordinator receives it.
 *
 * <p>The model:
 * <ul>
 *   <li>A <b>family</b> has one or two parents and one to five signalled children (siblings). With a small chance
 *       one parent is taken from an earlier family (half-siblings in two households). A family lives in a home region
 *       drawn from the region weights: region 0 (think Rotterdam) is by far the largest, the other 64 follow a
 *       Zipf-like law.</li>
 *   <li>Each family has an <b>intensity</b> (most families few signals, some multi-problem families many); each child
 *       gets {@code 1 + Geometric(intensity)} signals.</li>
 *   <li>Each signal comes from the home region, or from the Raad (node 65), or from another region (the youth goes
 *       to school, is placed or treated elsewhere). Its <b>organisation</b> is one of the node's opaque organisation
 *       references, drawn Zipf-like (a few large organisations, many small ones; about 2,244 in all).</li>
 *   <li>A signal from the home region names the family's parents in most cases; a signal from elsewhere seldom does
 *       (the organisation far from home often knows only the youth). This is what makes family matches mostly
 *       within a convenant while child matches cross far more often, as in the seed.</li>
 *   <li>Every signal is active today: it started on a day of the past year and runs for two years.</li>
 * </ul>
 * Parents are never signalled youths themselves here, so a person has one role only.
 */
public final class NationalYear {

    /** The node index of the Raad voor de Kinderbescherming: it has no home families, only signals. */
    public static final int RAAD = 65;
    public static final int NODES = 66;
    /** Organisations that signalled in 2020 (seed). */
    static final int ORGANISATIONS = 2244;

    /** The knobs of the model; {@link #calibrated()} is the calibration to the seed's 2020 table. */
    public record Params(
            long seed,
            int signals,
            /* home-family weight of region 0 against the other 64 regions together */
            double region0HomeShare,
            /* Zipf exponent of the other 64 regions' weights */
            double regionZipf,
            /* chance that a signal comes from the Raad voor de Kinderbescherming */
            double fromRaad,
            /* chance that a signal comes from a region other than home (drawn by region weight) */
            double fromElsewhere,
            /* chance that a signal from the home region names the parents */
            double parentsKnownHome,
            /* chance that a signal from elsewhere (the Raad included) names the parents */
            double parentsKnownAway,
            /* chance that a family has one parent only */
            double singleParent,
            /* chance that one of the parents also has children in an earlier family (half-siblings) */
            double halfSiblings,
            /* children per family: weights of 1, 2, 3, 4, 5 children */
            double[] childrenWeights,
            /* share of families with a high intensity */
            double intenseFamilies,
            /* mean number of extra signals per child in an ordinary and in an intense family */
            double extraSignalsOrdinary,
            double extraSignalsIntense,
            /* Zipf exponent of the organisations within a node */
            double organisationZipf) {

        public static Params calibrated() {
            // Tuned by hand against the oracle's counts for seed 2020 (see docs/performance.md).
            return new Params(2020L, 321_183, 0.37, 0.75, 0.08, 0.175, 0.95, 0.10, 0.25, 0.06,
                    new double[] {0.22, 0.33, 0.26, 0.13, 0.06}, 0.15, 0.50, 1.95, 0.9);
        }

        public Params withSignals(int n) {
            return new Params(seed, n, region0HomeShare, regionZipf, fromRaad, fromElsewhere, parentsKnownHome,
                    parentsKnownAway, singleParent, halfSiblings, childrenWeights, intenseFamilies,
                    extraSignalsOrdinary, extraSignalsIntense, organisationZipf);
        }

        /** The same year's shape, but every signal names the youth's parents, wherever it comes from. */
        public Params parentsAlways() {
            return new Params(seed, signals, region0HomeShare, regionZipf, fromRaad, fromElsewhere, 1.0, 1.0,
                    singleParent, halfSiblings, childrenWeights, intenseFamilies, extraSignalsOrdinary,
                    extraSignalsIntense, organisationZipf);
        }

        public Params withSeed(long s) {
            return new Params(s, signals, region0HomeShare, regionZipf, fromRaad, fromElsewhere, parentsKnownHome,
                    parentsKnownAway, singleParent, halfSiblings, childrenWeights, intenseFamilies,
                    extraSignalsOrdinary, extraSignalsIntense, organisationZipf);
        }
    }

    public final Params params;
    public final LocalDate today;

    /** Per signal: the node (region) that registered it, the organisation (index within that node). */
    public final int[] node;
    public final int[] organisation;
    /** Per signal: the youth (index into {@link #youthBsn}). */
    public final int[] youth;
    /** Per signal: the parents it names (indexes into {@link #parentBsn}), -1 for none. */
    public final int[] parentA;
    public final int[] parentB;
    /** Per signal: its first active day, as days before {@link #today} (0 to 364). */
    public final short[] daysAgo;

    public final String[] youthBsn;
    public final String[] parentBsn;
    public final int families;
    /** Organisation references per node. */
    public final int[] organisationsOf;

    private NationalYear(Params params, LocalDate today, int[] node, int[] organisation, int[] youth, int[] parentA,
                         int[] parentB, short[] daysAgo, String[] youthBsn, String[] parentBsn, int families,
                         int[] organisationsOf) {
        this.params = params;
        this.today = today;
        this.node = node;
        this.organisation = organisation;
        this.youth = youth;
        this.parentA = parentA;
        this.parentB = parentB;
        this.daysAgo = daysAgo;
        this.youthBsn = youthBsn;
        this.parentBsn = parentBsn;
        this.families = families;
        this.organisationsOf = organisationsOf;
    }

    public int signals() {
        return node.length;
    }

    public int youths() {
        return youthBsn.length;
    }

    public int parents() {
        return parentBsn.length;
    }

    /** The node id of node {@code n}, as it is enrolled at the coordinator. */
    public static String nodeId(int n) {
        return n == RAAD ? "raad" : String.format("regio-%02d", n);
    }

    /** The node's own opaque reference of signal {@code s}. */
    public String ref(int s) {
        return "s" + s;
    }

    /** The node's opaque organisation reference of signal {@code s}. */
    public String organisationRef(int s) {
        return "org-" + organisation[s];
    }

    public LocalDate activeFrom(int s) {
        return today.minusDays(daysAgo[s]);
    }

    public LocalDate activeUntil(int s) {
        return activeFrom(s).plusYears(2).minusDays(1);
    }

    /** Signals per node. */
    public int[] signalsPerNode() {
        int[] count = new int[NODES];
        for (int n : node) {
            count[n]++;
        }
        return count;
    }

    public static NationalYear generate(Params p, LocalDate today) {
        Random random = new Random(p.seed());
        double[] homeWeights = homeWeights(p);
        double[] homeCumulative = cumulative(Arrays.copyOf(homeWeights, RAAD)); // the Raad is nobody's home
        // Where signals from "elsewhere" come from: the regions by weight (the Raad has its own share).
        double[] signalShare = expectedSignalShare(p, homeWeights);
        int[] organisationsOf = new int[NODES];
        double[][] organisationCumulative = new double[NODES][];
        for (int n = 0; n < NODES; n++) {
            organisationsOf[n] = Math.max(5, (int) Math.round(ORGANISATIONS * signalShare[n]));
            double[] w = new double[organisationsOf[n]];
            for (int o = 0; o < w.length; o++) {
                w[o] = 1.0 / Math.pow(o + 1, p.organisationZipf());
            }
            organisationCumulative[n] = cumulative(w);
        }
        double[] childrenCumulative = cumulative(p.childrenWeights());

        int capacity = p.signals();
        int[] node = new int[capacity];
        int[] organisation = new int[capacity];
        int[] youth = new int[capacity];
        int[] parentA = new int[capacity];
        int[] parentB = new int[capacity];
        short[] daysAgo = new short[capacity];
        int signals = 0;
        int youths = 0;
        int parents = 0;
        int families = 0;

        while (signals < capacity) {
            families++;
            int home = pick(homeCumulative, random);
            int a = parents++;
            int b;
            if (random.nextDouble() < p.singleParent()) {
                b = -1;
            } else if (parents > 1 && random.nextDouble() < p.halfSiblings()) {
                b = random.nextInt(parents - 1); // an earlier family's parent
            } else {
                b = parents++;
            }
            int children = 1 + pick(childrenCumulative, random);
            double extra = random.nextDouble() < p.intenseFamilies() ? p.extraSignalsIntense() : p.extraSignalsOrdinary();
            for (int c = 0; c < children && signals < capacity; c++) {
                int y = youths++;
                int k = 1 + geometric(extra, random);
                for (int i = 0; i < k && signals < capacity; i++) {
                    double where = random.nextDouble();
                    int n;
                    boolean away;
                    if (where < p.fromRaad()) {
                        n = RAAD;
                        away = true;
                    } else if (where < p.fromRaad() + p.fromElsewhere()) {
                        n = pick(homeCumulative, random);
                        away = n != home;
                    } else {
                        n = home;
                        away = false;
                    }
                    boolean named = random.nextDouble() < (away ? p.parentsKnownAway() : p.parentsKnownHome());
                    node[signals] = n;
                    organisation[signals] = pick(organisationCumulative[n], random);
                    youth[signals] = y;
                    parentA[signals] = named ? a : -1;
                    parentB[signals] = named ? b : -1;
                    daysAgo[signals] = (short) random.nextInt(365);
                    signals++;
                }
            }
        }
        String[] bsns = uniqueBsns(youths + parents, random);
        return new NationalYear(p, today, node, organisation, youth, parentA, parentB, daysAgo,
                Arrays.copyOfRange(bsns, 0, youths), Arrays.copyOfRange(bsns, youths, youths + parents), families,
                organisationsOf);
    }

    /** Region 0 takes {@code region0HomeShare} of the families; regions 1..64 share the rest Zipf-like. */
    static double[] homeWeights(Params p) {
        double[] w = new double[NODES];
        double rest = 0;
        for (int n = 1; n < RAAD; n++) {
            w[n] = 1.0 / Math.pow(n, p.regionZipf());
            rest += w[n];
        }
        for (int n = 1; n < RAAD; n++) {
            w[n] = w[n] / rest * (1 - p.region0HomeShare());
        }
        w[0] = p.region0HomeShare();
        w[RAAD] = 0;
        return w;
    }

    /** The share of signals each node can expect, from the model's chances. */
    static double[] expectedSignalShare(Params p, double[] homeWeights) {
        double[] share = new double[NODES];
        double home = 1 - p.fromRaad() - p.fromElsewhere();
        for (int n = 0; n < NODES; n++) {
            share[n] = homeWeights[n] * (home + p.fromElsewhere());
        }
        share[RAAD] = p.fromRaad();
        return share;
    }

    private static double[] cumulative(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double run = 0;
        for (int i = 0; i < weights.length; i++) {
            run += weights[i] / sum;
            c[i] = run;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    private static int pick(double[] cumulative, Random random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        int at = i >= 0 ? i : -i - 1;
        return Math.min(at, cumulative.length - 1);
    }

    /** A geometric count on {0, 1, ...} with the given mean. */
    private static int geometric(double mean, Random random) {
        if (mean <= 0) {
            return 0;
        }
        double q = mean / (1 + mean);
        return (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(q));
    }

    /** {@code n} different nine-digit numbers that pass the elfproef (none starts with 0). */
    private static String[] uniqueBsns(int n, Random random) {
        String[] out = new String[n];
        Set<Integer> seen = new HashSet<>(n * 2);
        int i = 0;
        while (i < n) {
            int prefix = 10_000_000 + random.nextInt(90_000_000); // d1..d8, d1 != 0
            int sum = 0;
            int rest = prefix;
            for (int weight = 2; weight <= 9; weight++) {
                sum += weight * (rest % 10);
                rest /= 10;
            }
            int check = sum % 11; // 9*d1 + ... + 2*d8 - d9 ≡ 0 (mod 11)
            if (check == 10 || !seen.add(prefix)) {
                continue;
            }
            out[i++] = Integer.toString(prefix * 10 + check);
        }
        return out;
    }
}
