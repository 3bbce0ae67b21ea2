package nl.betrokken.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What an auditor takes home: the log's entries, its checkpoints (signed notes, countersigned by the coordinator
 * where it did so) and the public keys to check them, as one JSON document. It holds no identity: entries name
 * actors and subjects by node-local reference, and sealed entries that are not released only by their commitment.
 *
 * @param origin      the log's name, the first line of each checkpoint
 * @param logKey      the log's verifier key (c2sp.org/signed-note form)
 * @param witnessKey  the coordinator's cosignature verifier key, or null for the coordinator's own log
 * @param entries     every entry from index 0, in index order
 * @param checkpoints the signed notes, smallest tree first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditBundle(String origin, String logKey, String witnessKey, List<Entry> entries, List<String> checkpoints) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One entry as exported: its fields, the commitment of a sealed entry (with the salt once released), and the
     * leaf hash the log recorded when it was appended (base64).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long index, String at, String kind, String actor, String subject, Map<String, String> details,
                        String commitment, String salt, String leafHash) {

        static Entry of(AuditEntry e, byte[] salt, byte[] leafHash) {
            AuditEvent ev = e.event();
            return new Entry(e.index(), e.at().toString(), ev == null ? null : ev.kind(), ev == null ? null : ev.actor(),
                    ev == null ? null : ev.subject(), ev == null ? null : ev.details(), b64(e.commitment()), b64(salt),
                    b64(leafHash));
        }

        /** The entry as the log holds it; throws IllegalArgumentException when a field is malformed. */
        AuditEntry toEntry() {
            AuditEvent event = kind == null ? null
                    : new AuditEvent(kind, actor, subject, details == null ? Map.of() : details);
            return new AuditEntry(index, Instant.parse(at), event, commitment == null ? null
                    : Base64.getDecoder().decode(commitment));
        }

        private static String b64(byte[] bytes) {
            return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }

    public String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    public static AuditBundle read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), AuditBundle.class);
    }

    public static AuditBundle parse(String json) throws IOException {
        return JSON.readValue(json, AuditBundle.class);
    }
}
