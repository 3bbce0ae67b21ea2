package nl.betrokken.node.web;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import jakarta.inject.Singleton;
import nl.betrokken.node.ClockFactory;

/**
 * The portal's Dutch text, from {@code messages_nl.properties} (language level B1): none is written in Java or in a
 * template. A key that does not exist is an error, never a blank. Java code names keys through {@link #key}, so that
 * {@code MessagesTest} finds every key in use; templates call {@link #get}.
 */
@Singleton
public final class Tekst {

    public static final Locale NL = Locale.forLanguageTag("nl-NL");
    private static final DateTimeFormatter DATUM = DateTimeFormatter.ofPattern("d MMMM yyyy", NL);
    private static final DateTimeFormatter TIJD = DateTimeFormatter.ofPattern("HH:mm", NL);

    private final ResourceBundle bundle = ResourceBundle.getBundle("messages", NL,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));

    /** Marks {@code key} as a message key in Java code; returns it unchanged. */
    public static String key(String key) {
        return key;
    }

    /**
     * The text of {@code key}; with {@code args}, formatted by {@link MessageFormat} ({@code {0}}; such a text
     * writes a single quote as two).
     *
     * @throws MissingResourceException when the key does not exist
     */
    public String get(String key, Object... args) {
        String text = bundle.getString(key);
        return args.length == 0 ? text : new MessageFormat(text, NL).format(args);
    }

    /** A date as people write it: "3 maart 2025". */
    public String datum(LocalDate date) {
        return DATUM.format(date);
    }

    /** A moment in Dutch time: "3 maart 2025, 14:05". */
    public String moment(Instant at) {
        var local = at.atZone(ClockFactory.ZONE);
        return get(Tekst.key("tekst.moment"), DATUM.format(local), TIJD.format(local));
    }
}
