package nl.betrokken.node.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.micronaut.core.annotation.Nullable;

/**
 * A period chosen in a GET form of two fields, "van" and "tot" (the auditor's report, the region's figures): each
 * field read as typed, then the rule for the two together, giving the fields with their messages (kept as typed) and
 * the error summary. Nothing is changed by such a form, so it needs no CSRF token.
 *
 * @param <T> what a field holds once read: a day, a month
 */
public final class Periodeformulier<T> {

    /** The texts of the form: the fields' labels, their description, the summary's heading (keys). */
    public record Teksten(String vanLabel, String totLabel, String beschrijving, String foutKop) {
    }

    private final @Nullable T van;
    private final @Nullable T tot;
    private final Onderdelen.Invoerveld vanVeld;
    private final Onderdelen.Invoerveld totVeld;
    private final Onderdelen.Foutsamenvatting samenvatting;

    private Periodeformulier(@Nullable T van, @Nullable T tot, Onderdelen.Invoerveld vanVeld,
                             Onderdelen.Invoerveld totVeld, Onderdelen.Foutsamenvatting samenvatting) {
        this.van = van;
        this.tot = tot;
        this.vanVeld = vanVeld;
        this.totVeld = totVeld;
        this.samenvatting = samenvatting;
    }

    /**
     * Reads {@code vanTekst} and {@code totTekst} with {@code lees}, which throws an {@link IllegalArgumentException}
     * whose message is the error's text key; when both are read, {@code regel} gives the message at "tot" (already in
     * words) or null when the two make a period.
     */
    public static <T> Periodeformulier<T> lees(Tekst t, Teksten teksten, @Nullable String vanTekst,
                                               @Nullable String totTekst, Function<String, T> lees,
                                               BiFunction<T, T, String> regel) {
        String vanFout = null;
        String totFout = null;
        T van = null;
        T tot = null;
        try {
            van = lees.apply(vanTekst);
        } catch (IllegalArgumentException e) {
            vanFout = t.get(e.getMessage());
        }
        try {
            tot = lees.apply(totTekst);
        } catch (IllegalArgumentException e) {
            totFout = t.get(e.getMessage());
        }
        if (van != null && tot != null) {
            totFout = regel.apply(van, tot);
        }
        List<Onderdelen.Fout> fouten = new ArrayList<>();
        if (vanFout != null) {
            fouten.add(new Onderdelen.Fout("#van", vanFout));
        }
        if (totFout != null) {
            fouten.add(new Onderdelen.Fout("#tot", totFout));
        }
        String beschrijving = t.get(teksten.beschrijving());
        return new Periodeformulier<>(van, tot,
                new Onderdelen.Invoerveld("van", "van", t.get(teksten.vanLabel()), beschrijving, vanTekst, vanFout,
                        "off", "numeric"),
                new Onderdelen.Invoerveld("tot", "tot", t.get(teksten.totLabel()), beschrijving, totTekst, totFout,
                        "off", "numeric"),
                new Onderdelen.Foutsamenvatting(t.get(teksten.foutKop()), fouten));
    }

    /** Whether both fields were read and make a period. */
    public boolean geldig() {
        return samenvatting.fouten().isEmpty();
    }

    /** The first field as read; null when it could not be read. */
    public @Nullable T van() {
        return van;
    }

    /** The second field as read; null when it could not be read. */
    public @Nullable T tot() {
        return tot;
    }

    public Onderdelen.Invoerveld vanVeld() {
        return vanVeld;
    }

    public Onderdelen.Invoerveld totVeld() {
        return totVeld;
    }

    public Onderdelen.Foutsamenvatting samenvatting() {
        return samenvatting;
    }
}
