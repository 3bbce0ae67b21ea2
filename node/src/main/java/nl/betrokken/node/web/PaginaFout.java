package nl.betrokken.node.web;

/**
 * A portal page that cannot be shown: 404 (no such signal for this person: the same page whether it does not exist,
 * is not theirs or is held back) or 503 (the federation's look-up or a region cannot be reached now).
 * {@link PortaalFouten} answers it with the error page.
 */
public final class PaginaFout extends RuntimeException {

    private final int status;

    private PaginaFout(int status) {
        super("portal page answered " + status, null, false, false);
        this.status = status;
    }

    public static PaginaFout nietGevonden() {
        return new PaginaFout(404);
    }

    public static PaginaFout onbereikbaar() {
        return new PaginaFout(503);
    }

    public int status() {
        return status;
    }
}
