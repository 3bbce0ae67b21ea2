package nl.betrokken.node.inzage;

import nl.betrokken.node.web.Tekst;

/**
 * The message keys for what the inzage answer carries as codes: a signal's status, an access log entry's action (the
 * audit entry's kind) and the actor's role. An unknown code gets the general text, never the code itself.
 */
public final class PortaalTeksten {

    private PortaalTeksten() {
    }

    /** The key of a signal's status in words. */
    public static String status(String status) {
        return switch (status) {
            case "ACTIVE" -> Tekst.key("status.actief");
            case "ENDED" -> Tekst.key("status.beeindigd");
            case "ARCHIVED" -> Tekst.key("status.archief");
            default -> Tekst.key("status.onbekend");
        };
    }

    /** The key of what an access log entry says was done. */
    static String actie(String kind) {
        return switch (kind) {
            case "signal.registered" -> Tekst.key("actie.signal-registered");
            case "signal.viewed", "signal.listed" -> Tekst.key("actie.signal-viewed");
            case "signal.ended" -> Tekst.key("actie.signal-ended");
            case "signal.archived" -> Tekst.key("actie.signal-archived");
            case "signal.erased" -> Tekst.key("actie.signal-erased");
            case "match.received" -> Tekst.key("actie.match-received");
            case "match.withdrawn" -> Tekst.key("actie.match-withdrawn");
            case "match.viewed" -> Tekst.key("actie.match-viewed");
            case "contact.served" -> Tekst.key("actie.contact-served");
            case "contact.fetched" -> Tekst.key("actie.contact-fetched");
            case "contact.change-pushed", "contact.change-received" -> Tekst.key("actie.contact-changed");
            case "followup.viewed" -> Tekst.key("actie.followup-viewed");
            case "regie.received" -> Tekst.key("actie.regie-received");
            case "archive.read" -> Tekst.key("actie.archive-read");
            case "inzage.served" -> Tekst.key("actie.inzage-served");
            case "bezwaar.filed" -> Tekst.key("actie.bezwaar-filed");
            case "bezwaar.decided" -> Tekst.key("actie.bezwaar-decided");
            case "bezwaar.listed" -> Tekst.key("actie.bezwaar-listed");
            case "audit.released" -> Tekst.key("actie.audit-released");
            case "consent.asked", "consent.part-created" -> Tekst.key("actie.consent-requested");
            case "consent.answered" -> Tekst.key("actie.consent-answered");
            case "consent.listed" -> Tekst.key("actie.consent-listed");
            case "consent.viewed" -> Tekst.key("actie.consent-viewed");
            case "consent.withdrawn" -> Tekst.key("actie.consent-withdrawn");
            case "consent.expired", "consent.ended" -> Tekst.key("actie.consent-ended");
            case "exchange.sent" -> Tekst.key("actie.exchange-sent");
            case "exchange.received" -> Tekst.key("actie.exchange-received");
            case "exchange.read" -> Tekst.key("actie.exchange-read");
            case "exchange.refused" -> Tekst.key("actie.exchange-refused");
            case "veiligthuis.lookup" -> Tekst.key("actie.veiligthuis-lookup");
            default -> Tekst.key("actie.anders");
        };
    }

    /** The key of the actor's role. */
    static String rol(String role) {
        return switch (role) {
            case "prof" -> Tekst.key("rol.prof");
            case "gemeente" -> Tekst.key("rol.gemeente");
            case "coord" -> Tekst.key("rol.coord");
            case "auditor" -> Tekst.key("rol.auditor");
            case "matchcoord" -> Tekst.key("rol.matchcoord");
            case "veiligthuis" -> Tekst.key("rol.veiligthuis");
            case "node" -> Tekst.key("rol.node");
            case "system" -> Tekst.key("rol.system");
            case "citizen" -> Tekst.key("rol.citizen");
            default -> Tekst.key("rol.anders");
        };
    }
}
