package nl.betrokken.crypto.keys;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes a {@link KeyRing} as a small text file that only its owner may read.
 *
 * <h2>Format</h2>
 *
 * UTF-8 text, one {@code field=value} per line, written in this order:
 *
 * <pre>
 * format=betrokken-keyring/1
 * epoch.&lt;id&gt;.state=PRIMARY | ACCEPTED | DISABLED
 * epoch.&lt;id&gt;.createdAt=&lt;ISO-8601 instant, e.g. 2026-01-01T00:00:00Z&gt;
 * epoch.&lt;id&gt;.acceptedUntil=&lt;ISO-8601 instant&gt;   (present if and only if state is ACCEPTED)
 * epoch.&lt;id&gt;.secret=&lt;32 bytes in base64, RFC 4648 §4, padded&gt;   (absent if and only if state is DISABLED)
 * </pre>
 *
 * <p>{@code <id>} is a positive decimal integer without leading zeros. The reader is strict, so that an edit by
 * hand cannot be read differently from what its author meant:
 *
 * <ul>
 *   <li>Blank lines and lines starting with {@code #} are skipped. Every other line is split at its first
 *       {@code =}; a line without one is refused.
 *   <li>Nothing is trimmed or unescaped: unlike {@link java.util.Properties}, there are no continuation lines,
 *       no <code>&#92;uXXXX</code> escapes and no {@code :} separator.
 *   <li>Each field appears at most once, so a second {@code state} or {@code secret} line cannot silently win.
 *   <li>Unknown fields are refused, so a typo cannot silently drop a field.
 * </ul>
 *
 * <p>Error messages name the path and the field (or, for a line that cannot be a field, its line number), never
 * a value.
 *
 * <h2>Permissions</h2>
 *
 * As an {@link OwnerOnlyFile}: written atomically with mode {@code rw-------}, so readers see the old ring or the
 * new one, never a partial file; {@link #read} refuses a symbolic link, a file that is not regular and a file
 * that grants any group or other permission.
 */
public final class KeyRingFile {
    static final String FORMAT = "betrokken-keyring/1";

    private static final Pattern EPOCH_KEY = Pattern.compile("epoch\\.([1-9][0-9]{0,9})\\.([A-Za-z]+)");
    private static final Set<String> FIELDS = Set.of("state", "createdAt", "acceptedUntil", "secret");
    /**
     * Unknown field names are echoed only if they look like a field name. Anything else might be a value written
     * on a line of its own (a pasted or wrapped secret, say) and is named by its line number instead.
     */
    private static final Pattern NAMEABLE = Pattern.compile("[A-Za-z]{1,32}|epoch\\.[0-9]{1,20}\\.[A-Za-z]{1,32}");

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

    /**
     * Writes {@code ring} only if no file is at {@code path} yet; of several processes racing to create it, exactly
     * one wins (see {@link OwnerOnlyFile#writeIfAbsent}). Read the file afterwards to get the winner's ring.
     *
     * @return whether this call created the file
     */
    public static boolean writeIfAbsent(Path path, KeyRing ring) throws IOException {
        return OwnerOnlyFile.writeIfAbsent(path, render(ring));
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
            SecretBytes secret = ring.secret(e.id());
            if (secret != null) { // null for a disabled epoch
                sb.append(p).append("secret=")
                        .append(b64.encodeToString(secret.copy(SecretKeyAccess.insecure())))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Reads a key ring.
     *
     * @throws KeyFileException if the file is a symbolic link or not a regular file, grants any group or other
     *     permission, is not UTF-8, or does not follow the format above (the message names the path and the
     *     field or line, never a value)
     * @throws IOException if the file cannot be read
     */
    public static KeyRing read(Path path) throws IOException {
        String text = OwnerOnlyFile.read(path);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(path + ": " + e.getMessage(), e);
        }
    }

    /** Parses the format in the class comment; every refusal is an {@link IllegalArgumentException}. */
    private static KeyRing parse(String text) {
        String format = null;
        TreeMap<Integer, Map<String, String>> byEpoch = new TreeMap<>();
        Map<String, Integer> seenOnLine = new HashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("line " + lineNo + " has no '='; every line must be field=value");
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            String field;
            Map<String, String> fields = null;
            if (key.equals("format")) {
                field = key;
            } else {
                Matcher m = EPOCH_KEY.matcher(key);
                if (!m.matches() || !FIELDS.contains(m.group(2))) {
                    throw new IllegalArgumentException(NAMEABLE.matcher(key).matches()
                            ? "field " + key + " is unknown"
                            : "the field on line " + lineNo + " is unknown");
                }
                int id;
                try {
                    id = Integer.parseInt(m.group(1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("field " + key + " has an epoch id out of range");
                }
                field = m.group(2);
                fields = byEpoch.computeIfAbsent(id, k -> new HashMap<>());
            }
            Integer first = seenOnLine.putIfAbsent(key, lineNo);
            if (first != null) {
                throw new IllegalArgumentException("field " + key + " appears twice, on lines " + first + " and "
                        + lineNo);
            }
            if (fields == null) {
                format = value;
            } else {
                fields.put(field, value);
            }
        }
        if (format == null) {
            throw new IllegalArgumentException("field format is missing");
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("field format must be " + FORMAT);
        }
        if (byEpoch.isEmpty()) {
            throw new IllegalArgumentException("no epochs");
        }
        KeyRing.Builder builder = KeyRing.builder();
        byEpoch.forEach((id, fields) -> {
            KeyEpoch epoch = epoch(id, fields);
            boolean hasSecret = fields.containsKey("secret");
            if (epoch.state() == KeyEpoch.State.DISABLED) {
                if (hasSecret) {
                    throw new IllegalArgumentException(
                            "field epoch." + id + ".secret must be absent: a DISABLED epoch has no secret");
                }
                builder.addDisabled(epoch);
            } else {
                builder.add(epoch, secret(id, fields));
            }
        });
        return builder.build();
    }

    private static KeyEpoch epoch(int id, Map<String, String> fields) {
        String stateText = required(id, fields, "state");
        KeyEpoch.State state;
        try {
            state = KeyEpoch.State.valueOf(stateText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "field epoch." + id + ".state must be one of PRIMARY, ACCEPTED, DISABLED");
        }
        Instant createdAt = instant(id, fields, "createdAt");
        boolean hasUntil = fields.containsKey("acceptedUntil");
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

    private static SecretBytes secret(int id, Map<String, String> fields) {
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

    private static Instant instant(int id, Map<String, String> fields, String name) {
        String text = required(id, fields, name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field epoch." + id + "." + name + " is not an ISO-8601 instant");
        }
    }

    private static String required(int id, Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("field epoch." + id + "." + name + " is missing");
        }
        return value;
    }
}
