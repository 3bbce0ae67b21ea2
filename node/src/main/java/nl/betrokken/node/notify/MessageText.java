package nl.betrokken.node.notify;

import java.util.UUID;

import io.micronaut.core.annotation.Nullable;

/**
 * The e-mail text of each kind of notification, in Dutch as professionals (and, for a decision on an objection, the
 * person who objected) read it. It says that there is news about a match or an objection and where to look, and gives
 * the match's or objection's reference (none in the e-mail to the person); by construction it cannot carry a BSN, a
 * name, a birth date, a ground, the counterpart's contact, a reason, advice or an outcome: none of them is an input.
 */
record MessageText(String subject, String body) {

    static final String FOOTER = "\n\nDit bericht bevat bewust geen gegevens over de jeugdige of de andere"
            + " betrokkene: die ziet u alleen na inloggen.\n\n-- \nBetrokken, verwijsindex\n";

    /** The closing words of the e-mail to a person who objected: nothing about the signal, the child or the outcome. */
    static final String CITIZEN_FOOTER = "\n\nIn deze e-mail staat bewust niets over de melding of de uitkomst: die leest"
            + " u alleen na inloggen.\n\n-- \nBetrokken, verwijsindex\n";

    static MessageText of(String kind, @Nullable UUID matchId, @Nullable UUID objectionId, String link) {
        String reference = matchId == null ? "" : "\nMatchreferentie: " + matchId;
        String objection = objectionId == null ? "" : "\nBezwaarnummer: " + objectionId;
        return switch (kind) {
            case Notifications.OBJECTION_ADVICE_ASKED -> new MessageText("Betrokken: advies gevraagd over een bezwaar",
                    "De gemeente vraagt uw advies over een bezwaar tegen een van de signalen van uw organisatie in"
                            + " Betrokken. Lees het bezwaar en geef uw advies op:\n" + link + "\n" + objection
                            + FOOTER);
            case Notifications.OBJECTION_DECIDED -> new MessageText("Betrokken: er is een besluit over uw bezwaar",
                    "De gemeente heeft een besluit genomen over uw bezwaar in Betrokken. Log in om het besluit te"
                            + " lezen:\n" + link + "\n" + CITIZEN_FOOTER);
            case Notifications.OBJECTION_CLOSED -> new MessageText("Betrokken: uw bezwaar is afgesloten",
                    "Het signaal waartegen u bezwaar maakte in Betrokken is gewist. Daarom is uw bezwaar afgesloten."
                            + " Log in om te lezen wat er is gebeurd:\n" + link + "\n" + CITIZEN_FOOTER);
            case Notifications.MATCH_CREATED -> new MessageText("Betrokken: nieuwe match op uw signaal",
                    "Er is een nieuwe match op een van uw signalen in Betrokken: een collega van een andere organisatie"
                            + " is ook betrokken. Bekijk met wie u contact opneemt op:\n" + link + "\n" + reference
                            + FOOTER);
            case Notifications.MATCH_WITHDRAWN -> new MessageText("Betrokken: match ingetrokken",
                    "Een match op een van uw signalen in Betrokken is ingetrokken. Kijk op:\n" + link + "\n" + reference
                            + FOOTER);
            case Notifications.MESSAGE_RECEIVED -> new MessageText("Betrokken: nieuw bericht bij een match",
                    "De andere hulpverlener van een match op een van uw signalen in Betrokken heeft u informatie"
                            + " gestuurd. Lees het bericht na inloggen op:\n" + link + "\n" + reference + FOOTER);
            case Notifications.CONSENT_ENDED -> new MessageText("Betrokken: toestemming beëindigd",
                    "De toestemming om informatie te delen bij een match op een van uw signalen in Betrokken is"
                            + " beëindigd (ingetrokken of verlopen). U kunt geen informatie meer uitwisselen tot er"
                            + " opnieuw toestemming is. Kijk op:\n" + link + "\n" + reference + FOOTER);
            case Notifications.MATCH_CALLED_ON -> new MessageText("Betrokken: leg de opvolging van een match vast",
                    "De matchcoördinator vraagt u vast te leggen wat er na een match op een van uw signalen in"
                            + " Betrokken is gebeurd. De andere hulpverlener krijgt dezelfde vraag. Leg het vast op:\n"
                            + link + "\n" + reference + FOOTER);
            case "FOLLOW_UP_OVERDUE" -> new MessageText("Betrokken: match wacht op opvolging",
                    "Bij een match op een van uw signalen in Betrokken is nog geen opvolging vastgelegd. Kijk op:\n"
                            + link + "\n" + reference + FOOTER);
            case "FOLLOW_UP_ESCALATED" -> new MessageText("Betrokken: opvolging van een match blijft uit",
                    "Bij een match op een signaal van uw organisatie in Betrokken is na herinnering nog geen opvolging"
                            + " vastgelegd. Kijk op:\n" + link + "\n" + reference + FOOTER);
            default -> new MessageText("Betrokken: nieuws over een match",
                    "Er is nieuws over een match in Betrokken; kijk op:\n" + link + "\n" + reference + FOOTER);
        };
    }
}
