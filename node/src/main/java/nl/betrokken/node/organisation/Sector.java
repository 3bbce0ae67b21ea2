package nl.betrokken.node.organisation;

/**
 * The seven domains of the Besluit Jeugdwet whose organisations may signal to the verwijsindex (seed 004, "zeven
 * domeinen"). An organisation belongs to one.
 */
public enum Sector {
    JEUGDHULP,
    JEUGDGEZONDHEIDSZORG,
    GEZONDHEIDSZORG,
    ONDERWIJS,
    MAATSCHAPPELIJKE_ONDERSTEUNING,
    WERK_EN_INKOMEN,
    POLITIE_EN_JUSTITIE;

    /** The sector named {@code code}, or null when there is none. */
    static Sector of(String code) {
        for (Sector s : values()) {
            if (s.name().equals(code)) {
                return s;
            }
        }
        return null;
    }
}
