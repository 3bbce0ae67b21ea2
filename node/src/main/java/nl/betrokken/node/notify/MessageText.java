package nl.betrokken.node.notify;

import java.util.UUID;

import io.micronaut.core.annotation.Nullable;

/**
 * The e-mail text of each kind of notification, in Dutch as professionals read it. It says that there is news about
 * a match and where to look, and gives the match's reference; by construction it cannot carry a BSN, a name, a
 * birth date, a ground or the counterpart's contact: none of them is an input.
 */
record MessageText(String subject, String body) {

    static final String FOOTER = "\n\nDit bericht bevat bewust geen gegevens over de jeugdige of de andere"
            + " betrokkene: die ziet u alleen na inloggen.\n\n-- \nBetrokken, verwijsindex\n";

    static MessageText of(String kind, @Nullable UUID matchId, String link) {
        String reference = matchId == null ? "" : "\nMatchreferentie: " + matchId;
        return switch (kind) {
            case Notifications.MATCH_CREATED -> new MessageText("Betrokken: nieuwe match op uw signaal",
                    "Er is een nieuwe match op een van uw signalen in Betrokken: een collega van een andere organisatie"
                            + " is ook betrokken. Bekijk met wie u contact opneemt op:\n" + link + "\n" + reference
                            + FOOTER);
            case Notifications.MATCH_WITHDRAWN -> new MessageText("Betrokken: match ingetrokken",
                    "Een match op een van uw signalen in Betrokken is ingetrokken. Kijk op:\n" + link + "\n" + reference
                            + FOOTER);
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
