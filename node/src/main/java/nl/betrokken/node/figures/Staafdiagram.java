package nl.betrokken.node.figures;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code onderdelen/staafdiagram.jte}: a horizontal bar chart drawn on the server as inline SVG (no script, no style:
 * only SVG attributes, so the page's CSP holds), one bar per label with its value written beside it. The SVG is an
 * image with {@code naam} as its accessible name; the same numbers are in the table that follows it, which is the
 * chart's accessible form. Bars are drawn in the text colour ({@code currentColor}), so the theme decides.
 *
 * @param id     the chart's id, unique on the page (its title's id is {@code id}-titel)
 * @param naam   the accessible name: what the chart shows
 * @param hoogte the height of the drawing, in its own units (the width is {@value #BREEDTE})
 * @param staven the bars, top to bottom
 */
public record Staafdiagram(String id, String naam, int hoogte, List<Staaf> staven) {

    /** The drawing's width, in pixels as in its own units. */
    public static final int BREEDTE = 640;
    /** Where the bars start: the labels end just left of it. */
    public static final int LABELS = 230;
    private static final int LANGSTE = 320;
    private static final int RIJ = 28;
    private static final int LABEL_TEKENS = 30;

    /**
     * One bar: its label (shortened to fit, the table has it in full), its value as written beside it, its top
     * {@code y} and its width {@code breedte} (0 for 0; at least 1 for any other value).
     */
    public record Staaf(String label, String waarde, int y, int breedte) {

        /** The baseline of the bar's label and value. */
        public int tekstY() {
            return y + 14;
        }

        /** Where the value starts: just right of the bar. */
        public int waardeX() {
            return LABELS + breedte + 6;
        }
    }

    /** A chart of {@code waarden} (not negative) with {@code teksten} written beside the bars. */
    static Staafdiagram of(String id, String naam, List<String> labels, List<Double> waarden, List<String> teksten) {
        double max = waarden.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<Staaf> staven = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            double v = waarden.get(i);
            int breedte = max <= 0 || v <= 0 ? 0 : Math.max(1, (int) Math.round(LANGSTE * v / max));
            String label = labels.get(i);
            if (label.length() > LABEL_TEKENS) {
                label = label.substring(0, LABEL_TEKENS - 1).strip() + "\u2026";
            }
            staven.add(new Staaf(label, teksten.get(i), 4 + i * RIJ, breedte));
        }
        return new Staafdiagram(id, naam, 8 + labels.size() * RIJ, staven);
    }

    public int breedte() {
        return BREEDTE;
    }

    public int labels() {
        return LABELS;
    }
}
