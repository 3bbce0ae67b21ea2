package nl.betrokken.node.web;

/**
 * A portal page that cannot be shown: 404 (no such signal for this person: the same page whether it does not exist,
 * is not theirs or is held back) or 503 (the federation's look-up or a region cannot be reached now).
 * {@link PortaalFouten} answers it with the error page, whose title and text the exception names.
 */
public final class PaginaFout extends RuntimeException {

    private final int status;
    private final String titel;
    private final String tekst;

    private PaginaFout(int status, String titel, String tekst) {
        super("portal page answered " + status, null, false, false);
        this.status = status;
        this.titel = titel;
        this.tekst = tekst;
    }

    private PaginaFout(int status) {
        this(status, status == 404 ? Tekst.key("fout.niet-gevonden.titel") : Tekst.key("fout.onbereikbaar.titel"),
                status == 404 ? Tekst.key("fout.niet-gevonden.tekst") : Tekst.key("fout.onbereikbaar.tekst"));
    }

    public static PaginaFout nietGevonden() {
        return new PaginaFout(404);
    }

    /** 404 for a consent request: the same page whether it does not exist or is not this person's. */
    public static PaginaFout toestemmingNietGevonden() {
        return new PaginaFout(404, Tekst.key("fout.toestemming.niet-gevonden.titel"),
                Tekst.key("fout.toestemming.niet-gevonden.tekst"));
    }

    public static PaginaFout onbereikbaar() {
        return new PaginaFout(503);
    }

    public int status() {
        return status;
    }

    /** The error page's title key. */
    public String titel() {
        return titel;
    }

    /** The error page's text key. */
    public String tekst() {
        return tekst;
    }
}
