package nl.betrokken.crypto.keys;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes a {@link KeyRing} as a small text file that only its owner may read.
 *
 * <h2>Format</h2>
 *
 * A {@link Properties} file in UTF-8, written in this order (lines starting with {@code #} are comments):
 *
 * <pre>
 * format=betrokken-keyring/1
 * epoch.&lt;id&gt;.state=PRIMARY | ACCEPTED | DISABLED
 * epoch.&lt;id&gt;.createdAt=&lt;ISO-8601 instant, e.g. 2026-01-01T00:00:00Z&gt;
 * epoch.&lt;id&gt;.acceptedUntil=&lt;ISO-8601 instant&gt;   (present if and only if state is ACCEPTED)
 * epoch.&lt;id&gt;.secret=&lt;the 32-byte secret in base64, RFC 4648 §4, padded&gt;
 * </pre>
 *
 * <p>{@code <id>} is a positive decimal integer without leading zeros. Unknown keys are refused, so a typo
 * cannot silently drop a field.
 *
 * <h2>Permissions</h2>
 *
 * As an {@link OwnerOnlyFile}: written atomically with mode {@code rw-------}, so readers see the old ring or the
 * new one, never a partial file; {@link #read} refuses a file that grants any group or other permission.
 */
public final class KeyRingFile {
    static final String FORMAT = "betrokken-keyring/1";

    private static final Pattern EPOCH_KEY = Pattern.compile("epoch\\.([1-9][0-9]{0,9})\\.([A-Za-z]+)");
    private static final Set<String> FIELDS = Set.of("state", "createdAt", "acceptedUntil", "secret");

    private KeyRingFile() {}

    /**
     * Writes {@code ring} to {@code path} atomically, owner read/write only. Replaces an existing file.
     *
     * @throws IOException if the directory does not support POSIX permissions or the write fails; the
     *     temporary file is removed on failure
     */
    public static void write(Path path, KeyRing ring) throws IOException {
        OwnerOnlyFile.write(path, render(ring));
    }

    private static String render(KeyRing ring) {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder sb = new StringBuilder()
                .append("# Betrokken federation key ring. Secret: keep readable by its owner only (chmod 600).\n")
                .append("format=").append(FORMAT).append('\n');
        for (KeyEpoch e : ring.epochs()) {
            String p = "epoch." + e.id() + ".";
            sb.append(p).append("state=").append(e.state()).append('\n');
            sb.append(p).append("createdAt=").append(e.createdAt()).append('\n');
            e.acceptedUntil().ifPresent(t -> sb.append(p).append("acceptedUntil=").append(t).append('\n'));
            sb.append(p).append("secret=")
                    .append(b64.encodeToString(ring.secret(e.id()).copy(SecretKeyAccess.insecure())))
                    .append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads a key ring.
     *
     * @throws KeyFileException if the file grants any group or other permission, or a field is missing or
     *     malformed (the message names the path and the field)
     * @throws IOException if the file cannot be read
     */
    public static KeyRing read(Path path) throws IOException {
        String text = OwnerOnlyFile.read(path);
        Properties props = new Properties();
        props.load(new StringReader(text));
        try {
            return parse(props);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(path + ": " + e.getMessage(), e);
        }
    }

    private static KeyRing parse(Properties props) {
        String format = props.getProperty("format");
        if (format == null) {
            throw new IllegalArgumentException("field format is missing");
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("field format must be " + FORMAT);
        }
        TreeMap<Integer, Properties> byEpoch = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.equals("format")) {
                continue;
            }
            Matcher m = EPOCH_KEY.matcher(key);
            if (!m.matches() || !FIELDS.contains(m.group(2))) {
                throw new IllegalArgumentException("field " + key + " is unknown");
            }
            int id;
            try {
                id = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + key + " has an epoch id out of range");
            }
            byEpoch.computeIfAbsent(id, k -> new Properties()).setProperty(m.group(2), props.getProperty(key));
        }
        if (byEpoch.isEmpty()) {
            throw new IllegalArgumentException("no epochs");
        }
        KeyRing.Builder builder = KeyRing.builder();
        byEpoch.forEach((id, fields) -> builder.add(epoch(id, fields), secret(id, fields)));
        return builder.build();
    }

    private static KeyEpoch epoch(int id, Properties fields) {
        String stateText = required(id, fields, "state");
        KeyEpoch.State state;
        try {
            state = KeyEpoch.State.valueOf(stateText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "field epoch." + id + ".state must be one of PRIMARY, ACCEPTED, DISABLED");
        }
        Instant createdAt = instant(id, fields, "createdAt");
        boolean hasUntil = fields.getProperty("acceptedUntil") != null;
        if (hasUntil != (state == KeyEpoch.State.ACCEPTED)) {
            throw new IllegalArgumentException("field epoch." + id + ".acceptedUntil must be present if and only"
                    + " if the state is ACCEPTED");
        }
        return switch (state) {
            case PRIMARY -> KeyEpoch.primary(id, createdAt);
            case ACCEPTED -> KeyEpoch.accepted(id, createdAt, instant(id, fields, "acceptedUntil"));
            case DISABLED -> KeyEpoch.disabled(id, createdAt);
        };
    }

    private static SecretBytes secret(int id, Properties fields) {
        String text = required(id, fields, "secret");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // The decoder's message may quote a character of the secret; do not chain or repeat it.
            throw new IllegalArgumentException("field epoch." + id + ".secret is not valid base64");
        }
        if (bytes.length != KeyRing.SECRET_LENGTH) {
            throw new IllegalArgumentException("field epoch." + id + ".secret must decode to "
                    + KeyRing.SECRET_LENGTH + " bytes, not " + bytes.length);
        }
        return SecretBytes.wrap(bytes);
    }

    private static Instant instant(int id, Properties fields, String name) {
        String text = required(id, fields, name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field epoch." + id + "." + name + " is not an ISO-8601 instant");
        }
    }

    private static String required(int id, Properties fields, String name) {
        String value = fields.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("field epoch." + id + "." + name + " is missing");
        }
        return value;
    }
}
