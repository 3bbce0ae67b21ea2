package nl.betrokken.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import nl.betrokken.crypto.log.LogHasher;

/**
 * One entry of the log at its place in the tree. An open entry carries its {@link AuditEvent}; a sealed one (held
 * back from the person it is about, the Veilig Thuis exception) carries only the commitment to it until it is
 * released, and then both.
 *
 * <p>The leaf is the entry's canonical JSON, which includes its index: an entry moved to another place, or a log with
 * an entry taken out and the rest renumbered, no longer hashes to what the checkpoints signed.
 * <ul>
 *   <li>open: {@code {"v":1,"index":7,"at":"…","kind":"…","actor":"…","subject":"…","details":{…}}}</li>
 *   <li>sealed: {@code {"v":1,"index":7,"at":"…","sealed":"<base64url commitment>"}}, where the commitment is
 *       {@link nl.betrokken.crypto.log.SealedEntry} over the open form's bytes.</li>
 * </ul>
 *
 * @param event      the event; null for a sealed entry that is not released
 * @param commitment the commitment of a sealed entry; null for an entry that was never sealed
 */
public record AuditEntry(long index, Instant at, AuditEvent event, byte[] commitment) {

    public AuditEntry {
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " is negative");
        }
        Objects.requireNonNull(at, "at");
        if (event == null && commitment == null) {
            throw new IllegalArgumentException("entry " + index + " has neither an event nor a commitment");
        }
        commitment = commitment == null ? null : commitment.clone();
    }

    @Override
    public byte[] commitment() {
        return commitment == null ? null : commitment.clone();
    }

    public boolean sealed() {
        return commitment != null;
    }

    /** The bytes the tree commits to. */
    public byte[] leafData() {
        if (commitment != null) {
            return ("{\"v\":1,\"index\":" + index + ",\"at\":\"" + at + "\",\"sealed\":\""
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(commitment) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        return openData();
    }

    public byte[] leafHash(LogHasher hasher) {
        return hasher.hashLeaf(leafData());
    }

    /** The open form; for a sealed entry, what its commitment commits to. Requires the event. */
    public byte[] openData() {
        if (event == null) {
            throw new IllegalStateException("entry " + index + " is sealed and not released");
        }
        StringBuilder json = new StringBuilder("{\"v\":1,\"index\":").append(index).append(",\"at\":\"").append(at)
                .append("\",\"kind\":").append(quote(event.kind())).append(",\"actor\":").append(quote(event.actor()))
                .append(",\"subject\":").append(quote(event.subject())).append(",\"details\":{");
        boolean first = true;
        for (Map.Entry<String, String> d : new java.util.TreeMap<>(event.details()).entrySet()) {
            json.append(first ? "" : ",").append(quote(d.getKey())).append(':').append(quote(d.getValue()));
            first = false;
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string; {@link AuditEvent} allows no quote, backslash or control character, so nothing needs escaping. */
    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEntry e && index == e.index && at.equals(e.at) && Objects.equals(event, e.event)
                && Arrays.equals(commitment, e.commitment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, at, event) * 31 + Arrays.hashCode(commitment);
    }

    @Override
    public String toString() {
        return "AuditEntry[" + index + ", " + at + (event == null ? ", sealed" : ", " + event.kind()) + "]";
    }
}
