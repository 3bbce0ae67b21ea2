package nl.betrokken.node.web;

import java.util.List;
import java.util.Map;

import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;

/**
 * The werkplek's menu per role. The start page {@code /werkplek/} sends each role to its first item.
 */
public final class WerkplekMenu {

    private record Item(String tekst, String href) {
    }

    private static final Map<Role, List<Item>> MENU = Map.of(
            Role.PROFESSIONAL, List.of(
                    new Item(Tekst.key("werkplek.menu.signalen"), "/werkplek/signalen"),
                    new Item(Tekst.key("werkplek.menu.nieuw-signaal"), "/werkplek/signalen/nieuw"),
                    new Item(Tekst.key("werkplek.menu.mijn-gegevens"), "/werkplek/mijn-gegevens")),
            Role.COORDINATOR, List.of(
                    new Item(Tekst.key("werkplek.menu.medewerkers"), "/werkplek/medewerkers"),
                    new Item(Tekst.key("werkplek.menu.meldingen"), "/werkplek/meldingen"),
                    new Item(Tekst.key("werkplek.menu.achterstand"), "/werkplek/achterstand"),
                    new Item(Tekst.key("werkplek.menu.organisatie-signalen"), "/werkplek/organisatie/signalen")),
            Role.GEMEENTE, List.of(
                    new Item(Tekst.key("werkplek.menu.organisaties"), "/werkplek/organisaties"),
                    new Item(Tekst.key("werkplek.menu.bezwaren"), "/werkplek/bezwaren"),
                    new Item(Tekst.key("werkplek.menu.achtergehouden"), "/werkplek/achtergehouden"),
                    new Item(Tekst.key("werkplek.menu.cijfers"), "/werkplek/cijfers")),
            Role.MATCHCOORDINATOR, List.of(
                    new Item(Tekst.key("werkplek.menu.matches-achterstand"), "/werkplek/matches-achterstand"),
                    new Item(Tekst.key("werkplek.menu.cijfers"), "/werkplek/cijfers")),
            Role.VEILIG_THUIS, List.of(
                    new Item(Tekst.key("werkplek.menu.veilig-thuis"), "/werkplek/veilig-thuis")),
            Role.AUDITOR, List.of(
                    new Item(Tekst.key("werkplek.menu.audit-rapport"), "/werkplek/audit"),
                    new Item(Tekst.key("werkplek.menu.audit-controlepunten"), "/werkplek/audit/controlepunten"),
                    new Item(Tekst.key("werkplek.menu.audit-bundel"), "/werkplek/audit/bundel")));

    private static final Map<Role, String> ROL = Map.of(
            Role.PROFESSIONAL, Tekst.key("werkplek.rol.professional"),
            Role.COORDINATOR, Tekst.key("werkplek.rol.coordinator"),
            Role.GEMEENTE, Tekst.key("werkplek.rol.gemeente"),
            Role.AUDITOR, Tekst.key("werkplek.rol.auditor"),
            Role.MATCHCOORDINATOR, Tekst.key("werkplek.rol.matchcoordinator"),
            Role.VEILIG_THUIS, Tekst.key("werkplek.rol.veilig-thuis"));

    private WerkplekMenu() {
    }

    /**
     * The menu of {@code role} for a page at {@code path}: the item whose address is the longest one that the path
     * begins with is the current one ({@code aria-current}).
     */
    public static List<Chrome.MenuItem> menu(Role role, String path) {
        List<Item> items = MENU.getOrDefault(role, List.of());
        String current = items.stream().map(Item::href).filter(h -> path.equals(h) || path.startsWith(h + "/"))
                .reduce((a, b) -> a.length() >= b.length() ? a : b).orElse(null);
        return items.stream().map(i -> new Chrome.MenuItem(i.tekst(), i.href(), i.href().equals(current))).toList();
    }

    /** Where {@code role} starts: its first menu item, or {@code /werkplek/} itself for a role without items (none). */
    public static String start(Role role) {
        List<Item> items = MENU.getOrDefault(role, List.of());
        return items.isEmpty() ? WerkplekSessions.START : items.get(0).href();
    }

    /** The role's text key ("Professional", …). */
    public static String rol(Role role) {
        return ROL.getOrDefault(role, Tekst.key("werkplek.rol.auditor"));
    }
}
