package nl.betrokken.node.web;

import java.util.List;

import io.micronaut.core.annotation.Nullable;

/**
 * The params records of the components in {@code views/onderdelen/}, one per component. Text in them is already
 * Dutch (the page template looks it up); the components emit only {@code utrecht-*} classes.
 */
public final class Onderdelen {

    private Onderdelen() {
    }

    /**
     * One error: where it links to ({@code #field}, or the page where the answer can be changed) and the message,
     * the same text as at the field.
     */
    public record Fout(String href, String tekst) {
    }

    /**
     * {@code onderdelen/foutsamenvatting.jte}: the error summary above the {@code h1}, each error a link to its
     * field; nothing when {@code fouten} is empty.
     */
    public record Foutsamenvatting(String kop, List<Fout> fouten) {
    }

    /**
     * {@code onderdelen/tekstvak.jte}: a labelled textarea with an optional description and error message, tied to
     * it by {@code aria-describedby}; {@code aria-invalid} when there is an error. The label can be the page's
     * {@code h1} ({@code labelIsKop}), as one-question pages do.
     */
    public record Tekstvak(String id, String naam, String label, boolean labelIsKop, @Nullable String beschrijving,
                           @Nullable String waarde, @Nullable String fout, int rijen) {
        /** The ids of the description and the error message, for {@code aria-describedby}; null when none. */
        public @Nullable String beschreven() {
            return describedBy(id, beschrijving, fout);
        }
    }

    /**
     * {@code onderdelen/invoerveld.jte}: a labelled one-line text input, with description and error message as
     * {@link Tekstvak}.
     */
    public record Invoerveld(String id, String naam, String label, @Nullable String beschrijving,
                             @Nullable String waarde, @Nullable String fout, String autocomplete, String inputmode) {
        /** The ids of the description and the error message, for {@code aria-describedby}; null when none. */
        public @Nullable String beschreven() {
            return describedBy(id, beschrijving, fout);
        }
    }

    private static @Nullable String describedBy(String id, @Nullable String description, @Nullable String error) {
        String ids = (description == null ? "" : id + "-beschrijving ") + (error == null ? "" : id + "-fout");
        return ids.isBlank() ? null : ids.strip();
    }

    /** One row of a data list: the term, the value, and an optional link to change it. */
    public record Gegeven(String term, String waarde, @Nullable String wijzigHref, @Nullable String wijzigTekst) {
    }

    /** {@code onderdelen/gegevenslijst.jte}: an {@code utrecht-data-list}. */
    public record Gegevenslijst(List<Gegeven> rijen) {
    }

    /** {@code onderdelen/melding.jte}: an {@code utrecht-alert}, {@code soort} info, warning, ok or error. */
    public record Melding(String soort, @Nullable String kop, String tekst) {
    }

    /** {@code onderdelen/tabel.jte}: a table with a caption, header cells and rows of text. */
    public record Tabel(String bijschrift, List<String> koppen, List<List<String>> rijen) {
    }

    /** {@code onderdelen/knop.jte}: a form that posts to {@code actie} with the CSRF token and one submit button. */
    public record Knop(String actie, String csrf, String tekst, boolean primair) {
    }

    /** One option of {@link Keuzerondjes}: its value, label, an optional description, and whether it is chosen. */
    public record Keuze(String waarde, String label, @Nullable String beschrijving, boolean gekozen) {
    }

    /**
     * {@code onderdelen/keuzerondjes.jte}: a fieldset of radio buttons with a legend, an optional description and
     * error message (tied by {@code aria-describedby}); the first option's id is {@code id}, so that the error
     * summary's {@code #id} reaches it.
     */
    public record Keuzerondjes(String id, String naam, String legenda, @Nullable String beschrijving,
                               List<Keuze> keuzes, @Nullable String fout) {
        /** The id of option {@code i}. */
        public String keuzeId(int i) {
            return i == 0 ? id : id + "-" + keuzes.get(i).waarde();
        }

        /** The ids of the description and the error message, for {@code aria-describedby}; null when none. */
        public @Nullable String beschreven() {
            return describedBy(id, beschrijving, fout);
        }
    }
}
