package nl.betrokken.node.inzage;

import java.util.Map;

/**
 * Why each kind of audit entry about a signal happens, in plain Dutch for the parent or youth who reads their access
 * log (the {@code purpose} of {@link InzageItem.Access}). A kind not listed has no purpose given.
 */
final class AccessPurposes {

    private static final Map<String, String> PURPOSES = Map.ofEntries(
            Map.entry("signal.registered", "Een hulpverlener maakt zich zorgen en meldt dat hij of zij betrokken is"),
            Map.entry("signal.viewed", "Een hulpverlener van de eigen organisatie bekijkt het signaal"),
            Map.entry("signal.ended", "De hulpverlener is niet meer betrokken"),
            Map.entry("signal.corrected", "De hulpverlener verbeterde de gegevens van het signaal"),
            Map.entry("staff.handed-over", "Een collega van dezelfde organisatie neemt het signaal over"),
            Map.entry("signal.handed-over", "De organisatie stopte: een hulpverlener van een andere organisatie neemt"
                    + " het signaal over"),
            Map.entry("signal.archived", "De tijd in de verwijsindex is voorbij: het signaal gaat naar het archief"),
            Map.entry("match.received", "Een andere hulpverlener is ook betrokken: zij kunnen samenwerken"),
            Map.entry("match.viewed", "Een hulpverlener bekijkt de match en met wie hij of zij contact kan opnemen"),
            Map.entry("match.withdrawn", "De match met de andere hulpverlener vervalt"),
            Map.entry("contact.fetched", "De contactgegevens van de andere hulpverlener zijn opgehaald"),
            Map.entry("contact.served", "De andere hulpverlener kreeg de contactgegevens, om contact op te nemen"),
            Map.entry("contact.refused", "De contactgegevens van de andere kant zijn niet meer te krijgen"),
            Map.entry("contact.change-pushed", "De andere kant kreeg nieuwe contactgegevens"),
            Map.entry("contact.change-received", "De andere kant gaf nieuwe contactgegevens"),
            Map.entry("followup.contact-made", "De hulpverleners hebben contact gehad over de match"),
            Map.entry("followup.not-needed", "De hulpverlener vond contact over de match niet nodig"),
            Map.entry("followup.viewed", "Een hulpverlener bekijkt wat er na de match is afgesproken"),
            Map.entry("regie.taken", "Een hulpverlener neemt de regie: hij of zij stemt de hulp af"),
            Map.entry("regie.released", "Een hulpverlener geeft de regie over"),
            Map.entry("match.called-on", "De matchcoördinator vraagt beide hulpverleners vast te leggen wat zij na de"
                    + " match hebben gedaan"),
            Map.entry("match.call-on-received", "De matchcoördinator van de andere regio vraagt de hulpverlener vast te"
                    + " leggen wat hij of zij na de match heeft gedaan"),
            Map.entry("regie.received", "De andere kant nam de regie of gaf die over"),
            Map.entry("archive.read", "Het gearchiveerde signaal is ingezien voor controle; de reden is vastgelegd"),
            Map.entry("inzage.served", "Inzage door een ouder of de jongere zelf"),
            Map.entry("bezwaar.filed", "Er is bezwaar gemaakt tegen het signaal"),
            Map.entry("bezwaar.listed", "Het bezwaar is bekeken"),
            Map.entry("bezwaar.decided", "De gemeente heeft over het bezwaar beslist"),
            Map.entry("exchange.sent", "De hulpverlener stuurde informatie naar de andere hulpverlener van de match"),
            Map.entry("exchange.received", "De andere hulpverlener van de match stuurde informatie"),
            Map.entry("exchange.read", "Een hulpverlener las de informatie die bij de match is uitgewisseld"),
            Map.entry("exchange.refused", "Informatie delen werd geweigerd: er was geen geldige toestemming"),
            Map.entry("consent.asked", "Een hulpverlener vraagt toestemming om informatie te delen met de andere"
                    + " hulpverlener"),
            Map.entry("consent.part-created", "Er is toestemming gevraagd om informatie over dit kind te delen"),
            Map.entry("consent.listed", "Een ouder of de jongere bekijkt de vragen om toestemming"),
            Map.entry("consent.answered", "Er is een antwoord gegeven op de vraag om toestemming"),
            Map.entry("consent.viewed", "Een hulpverlener bekijkt de toestemming om informatie te delen"),
            Map.entry("consent.withdrawn", "De toestemming om informatie te delen is ingetrokken"),
            Map.entry("consent.expired", "De toestemming is verlopen: het kind werd 12 of 16, of de einddatum is"
                    + " voorbij"),
            Map.entry("consent.ended", "De toestemming om informatie te delen is beëindigd"),
            Map.entry("audit.released", "De gemeente maakte het signaal zichtbaar voor de ouders"));

    private AccessPurposes() {
    }

    static String of(String kind) {
        return PURPOSES.get(kind);
    }
}
