package nl.betrokken.node.web;

import java.text.MessageFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern DATUM_INVOER = Pattern.compile("(\\d{1,2})[-/. ](\\d{1,2})[-/. ](\\d{4})");

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

    /** Day-month-year as typed ("31-12-2027", "1/2/2028"); empty when it is no date. */
    public static Optional<LocalDate> leesDatum(String typed) {
        Matcher m = DATUM_INVOER.matcher(typed.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(1))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** A date as people write it: "3 maart 2025". */
    public String datum(LocalDate date) {
        return DATUM.format(date);
    }

    /**
     * A day to act by, in words, from the message keys given: {@code nog} ({0} the date, {1} the days left) while it
     * is ahead, {@code vandaag} ({0}) on the day, {@code teLaat} ({0}, {1} the days late) after it.
     */
    public String termijn(LocalDate day, LocalDate today, String nog, String vandaag, String teLaat) {
        long days = java.time.temporal.ChronoUnit.DAYS.between(today, day);
        if (days > 0) {
            return get(nog, datum(day), days);
        }
        return days == 0 ? get(vandaag, datum(day)) : get(teLaat, datum(day), -days);
    }

    /** A moment in Dutch time: "3 maart 2025, 14:05". */
    public String moment(Instant at) {
        var local = at.atZone(ClockFactory.ZONE);
        return get(Tekst.key("tekst.moment"), DATUM.format(local), TIJD.format(local));
    }
}
