package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The portal's Dutch text: every key a template ({@code t().get("…")}) or Java ({@code Tekst.key("…")}, or
 * {@code t.get("…")} on a {@link Tekst} named {@code t}) uses exists
 * in {@code messages_nl.properties}, every key there is used, and no text holds a single quote (MessageFormat would
 * swallow it).
 */
class MessagesTest {

    private static final Path MAIN = Path.of("src/main");
    private static final Pattern IN_TEMPLATE = Pattern.compile("\\.get\\(\"([^\"]+)\"");
    private static final Pattern IN_JAVA = Pattern.compile("(?:Tekst\\.key|\\bt\\.get)\\(\"([^\"]+)\"");

    @Test
    void everyKeyUsed_exists_andEveryKeyThere_isUsed() throws IOException {
        Properties messages = new Properties();
        try (Reader r = Files.newBufferedReader(MAIN.resolve("resources/messages_nl.properties"), StandardCharsets.UTF_8)) {
            messages.load(r);
        }
        Set<String> used = new TreeSet<>();
        collect(MAIN.resolve("resources/views"), ".jte", IN_TEMPLATE, used);
        collect(MAIN.resolve("java"), ".java", IN_JAVA, used);

        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(messages.stringPropertyNames());
        Set<String> unused = new TreeSet<>(messages.stringPropertyNames());
        unused.removeAll(used);
        assertEquals(Set.of(), missing, "keys used but not in messages_nl.properties");
        assertEquals(Set.of(), unused, "keys in messages_nl.properties that nothing uses");
        for (String key : messages.stringPropertyNames()) {
            assertFalse(messages.getProperty(key).contains("'"), key + ": no single quote in a text");
        }
    }

    private static void collect(Path dir, String suffix, Pattern pattern, Set<String> into) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                Matcher m = pattern.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    into.add(m.group(1));
                }
            }
        }
    }
}
