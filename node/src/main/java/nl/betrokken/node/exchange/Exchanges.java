package nl.betrokken.node.exchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.consent.ConsentGate;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.match.Matches;
import nl.betrokken.node.notify.Notifications;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending, receiving and reading the messages of a match.
 *
 * <p><b>Sending</b> ({@link #send}): this node's {@link ConsentGate} first (its parts of the match's consent, and the
 * coordinator's consent token), then the delivery: to the counterpart's node ({@link ExchangeClient}, node token and
 * match ticket, with the consent token), or, when the counterpart's signal is here too, to {@link #receive} directly:
 * the same checks, no HTTP. Only once the counterpart has stored it is the sender's copy stored. A refusal anywhere
 * stores nothing and answers 403 naming the reason ({@code consent-withdrawn}, …) and the consent; both the refusing
 * node and the sender write {@code exchange.refused}.
 *
 * <p><b>Receiving</b> ({@link #receive}): the consent token ({@link ConsentTokens}), then, in one transaction: this
 * node's own {@link ConsentGate} (which locks its parts of the consent, so a withdrawal recorded here waits or wins),
 * the coordinator's count of the use ({@link ConsentUse}, which serialises it with a withdrawal there), and the
 * stored message with its {@code exchange.received} entry and the professional's notification. A withdrawal racing
 * an exchange is thus either before the use (refused) or after it (the message counts).
 *
 * <p><b>The Veilig Thuis exception</b>: a reason instead of consent. No token; the counterpart accepts it on the match
 * ticket and the reason; both nodes store the reason; the exchange's entries have {@code exchange:<ref>} as subject
 * and are held ({@link NodeAudit#hold(Connection, String)}) until the gemeente of that node releases them.
 *
 * <p>Everything said is sealed with the node's Aead, bound to its row and column.
 */
@Singleton
public class Exchanges {

    /** The largest file, decoded. */
    static final int MAX_FILE_BYTES = 5 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);

    private final ExchangeMessageRepository rows;
    private final TransactionOperations<Connection> transactions;
    private final NodeKeys keys;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final ConsentGate gate;
    private final ConsentTokens consentTokens;
    private final ConsentUse use;
    private final ExchangeClient client;
    private final JsonMapper json;
    private final Clock clock;

    Exchanges(ExchangeMessageRepository rows, TransactionOperations<Connection> transactions, NodeKeys keys,
              NodeAudit audit, NodeConfiguration node, ConsentGate gate, ConsentTokens consentTokens, ConsentUse use,
              ExchangeClient client, JsonMapper json, Clock clock) {
        this.rows = rows;
        this.transactions = transactions;
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.gate = gate;
        this.consentTokens = consentTokens;
        this.use = use;
        this.client = client;
        this.json = json;
        this.clock = clock;
    }

    /** The signed-in professional: username and organisation. */
    public record Caller(String username, String organisationId) {
    }

    /** What is sealed next to the text: who sent it, the file's name and type, the exception's reason. */
    @Serdeable
    record Meta(String organisation, String professional, @Nullable String fileName, @Nullable String fileType,
                @Nullable String reason) {
        @Override
        public String toString() {
            return "Meta[redacted]";
        }
    }

    /** This node's side of a match, for the caller's organisation. */
    record Side(UUID matchId, UUID signalId, String ownRef, String counterpartNode, String counterpartRef,
                @Nullable String ticket, String matchStatus, String signalStatus, LocalDate activeUntil) {
    }

    /** A refused exchange: the reason (the problem type's last part) and the consent it was asked under. */
    static final class Refused extends RuntimeException {
        final String reason;
        final @Nullable UUID consentId;

        Refused(String reason, @Nullable UUID consentId) {
            super(reason, null, false, false);
            this.reason = reason;
            this.consentId = consentId;
        }

        ProblemException problem() {
            return Problems.consentRefused(reason, consentId == null ? null : consentId.toString(),
                    "the exchange was refused: " + reason);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sending

    /** Sends {@code request} to the counterpart of match {@code matchId}, from the caller's organisation's signal. */
    public MessageView.Sent send(Caller caller, UUID matchId, MessageRequest request) {
        byte[] file = request.file() == null ? null : decode(request.file().content());
        Side side = transactions.executeRead(status -> side(status.getConnection(), caller.organisationId(), matchId));
        requireActive(side);
        boolean exception = request.exception() != null;
        UUID id = UUID.randomUUID();
        Instant sentAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Delivery.From from = transactions.executeRead(status -> from(status.getConnection(), caller));
        UUID consentId = null;
        String token = null;
        if (!exception) {
            ConsentGate.Usable usable = transactions.executeWrite(status ->
                    gate.usable(status.getConnection(), matchId, side.signalId()));
            if (usable.refusal() != null) {
                refusedAtSender(caller, side, usable.refusal(), usable.consentId());
                throw new Refused(usable.refusal(), usable.consentId()).problem();
            }
            consentId = usable.consentId();
            token = usable.token();
        }
        String reason = exception ? request.exception().reason() : null;
        Delivery delivery = new Delivery("", side.ownRef(), id, sentAt, from, request.text(), request.file(), token,
                reason);
        try {
            if (side.counterpartNode().equals(node.nodeId())) {
                receive(node.nodeId(), side.ownRef(), matchId, side.counterpartRef(), delivery, file);
            } else {
                client.deliver(side, delivery);
            }
        } catch (Refused r) {
            refusedAtSender(caller, side, r.reason, r.consentId != null ? r.consentId : consentId);
            throw new Refused(r.reason, r.consentId != null ? r.consentId : consentId).problem();
        } catch (ProblemException p) {
            String type = p.problem().type();
            if (p.problem().status() == 403 && type.startsWith(Problems.TYPE_BASE + "consent-")) {
                String why = type.substring(Problems.TYPE_BASE.length());
                UUID named = p.problem().consent() == null ? consentId : UUID.fromString(p.problem().consent());
                refusedAtSender(caller, side, why, named);
                throw new Refused(why, named).problem();
            }
            throw p;
        }
        UUID consent = consentId;
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            store(c, id, side.signalId(), matchId, ExchangeMessageRow.SENT, node.nodeId(), sentAt, consent, from,
                    request.text(), request.file(), file, reason);
            AuditEvent sent = AuditEvent.of("exchange.sent", NodeAudit.actor("prof", caller.username()),
                            subject(c, matchId, id, exception))
                    .with("signal", audit.signal(side.signalId()))
                    .with("toNode", NodeAudit.reference(side.counterpartNode()));
            audit.record(c, exception ? sent.with("match", audit.match(matchId)).with("exception", true)
                    : sent.with("consent", consent == null ? "none" : audit.consent(consent)));
            return null;
        });
        LOG.info("message {} of match {} sent to node {}", id, matchId, side.counterpartNode());
        return new MessageView.Sent(id, sentAt, consent, exception);
    }

    private void refusedAtSender(Caller caller, Side side, String reason, @Nullable UUID consentId) {
        audit.record(AuditEvent.of("exchange.refused", NodeAudit.actor("prof", caller.username()),
                        audit.match(side.matchId())).with("signal", audit.signal(side.signalId()))
                .with("reason", NodeAudit.reference(reason))
                .with("consent", consentId == null ? "none" : audit.consent(consentId)));
    }

    private static void requireActive(Side side) {
        if ("WITHDRAWN".equals(side.matchStatus())) {
            throw Problems.gone("match-withdrawn", "Match withdrawn", "the match was withdrawn; nothing more is exchanged");
        }
        if (!"ACTIVE".equals(side.signalStatus())) {
            throw Problems.gone("signal-not-active", "Signal not active",
                    "your signal of this match is no longer active; nothing more is exchanged");
        }
    }

    private static byte[] decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("file.content", "is not base64");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw Problems.invalidField("file.content", "is larger than 5 MB");
        }
        if (bytes.length == 0) {
            throw Problems.invalidField("file.content", "is empty");
        }
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Receiving

    /**
     * Receives a message from the signal {@code askerRef} of {@code askerNode} (authenticated by its node token and
     * the match ticket, or this node itself) for this node's signal {@code ownRef} in match {@code matchId}. A message
     * already stored (a delivery tried again) is not stored twice.
     *
     * @throws Refused when the consent refuses it (written as {@code exchange.refused})
     * @throws ProblemException 410 when the signal or match is no longer active here, 503 when the coordinator cannot
     *     count the use now
     */
    void receive(String askerNode, String askerRef, UUID matchId, String ownRef, Delivery d, @Nullable byte[] file) {
        boolean exception = d.exception() != null;
        if (!exception && (d.consentToken() == null || d.consentToken().isBlank())) {
            throw refusedAtReceiver(askerNode, matchId, ownRef, new Refused("consent-none", null));
        }
        UUID signalId = transactions.executeRead(status -> receivingSignal(status.getConnection(), matchId, ownRef));
        if (transactions.executeRead(status -> rows.findByMessageIdAndSignalId(d.id(), signalId)).isPresent()) {
            return; // delivered before: the answer that got lost is given again
        }
        UUID consentId;
        if (exception) {
            consentId = null;
        } else {
            try {
                consentId = consentTokens.check(d.consentToken(), matchId, askerNode + ":" + askerRef,
                        node.nodeId() + ":" + ownRef);
            } catch (Refused r) {
                throw refusedAtReceiver(askerNode, matchId, ownRef, r);
            }
        }
        try {
            transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                if (!exception) {
                    ConsentGate.Usable usable = gate.usable(c, matchId, signalId);
                    if (usable.refusal() != null) {
                        throw new Refused(usable.refusal(), usable.consentId() != null ? usable.consentId() : consentId);
                    }
                    use.use(consentId, ownRef); // the coordinator counts it, or refuses (Refused) or cannot (503)
                }
                store(c, d.id(), signalId, matchId, ExchangeMessageRow.RECEIVED, askerNode, d.sentAt(), consentId,
                        d.from(), d.text(), d.file(), file, d.exception());
                AuditEvent received = AuditEvent.of("exchange.received", NodeAudit.actor("node", askerNode),
                        subject(c, matchId, d.id(), exception)).with("signal", audit.signal(signalId));
                audit.record(c, exception ? received.with("match", audit.match(matchId)).with("exception", true)
                        : received.with("consent", audit.consent(consentId)));
                Notifications.enqueueForSignal(c, signalId, Notifications.MESSAGE_RECEIVED, matchId, clock.instant());
                return null;
            });
        } catch (Refused r) {
            throw refusedAtReceiver(askerNode, matchId, ownRef, r);
        }
        LOG.info("message {} of match {} received from node {}", d.id(), matchId, askerNode);
    }

    /** Receives a delivery from another node (its file still in base64). */
    void receive(String askerNode, String askerRef, UUID matchId, String ownRef, Delivery d) {
        receive(askerNode, askerRef, matchId, ownRef, d, d.file() == null ? null : decode(d.file().content()));
    }

    private Refused refusedAtReceiver(String askerNode, UUID matchId, String ownRef, Refused r) {
        LOG.warn("refused a message of node {} for match {}: {}", askerNode, matchId, r.reason);
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            AuditEvent refused = AuditEvent.of("exchange.refused", NodeAudit.actor("node", askerNode),
                    audit.match(matchId)).with("reason", NodeAudit.reference(r.reason))
                    .with("consent", r.consentId == null ? "none" : audit.consent(r.consentId));
            Optional<UUID> signal = signalByRef(c, ownRef);
            audit.record(c, signal.isPresent() ? refused.with("signal", audit.signal(signal.get())) : refused);
            return null;
        });
        return r;
    }

    /** This node's signal {@code ownRef}, active, in match {@code matchId} not withdrawn here; else 404 or 410. */
    private UUID receivingSignal(Connection c, UUID matchId, String ownRef) throws SQLException {
        return Matches.activeSide(c, ownRef, matchId, LocalDate.now(clock), "nothing more is exchanged");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    /**
     * The messages of the match on the caller's organisation's signal, both directions, oldest first; the read is
     * an {@code exchange.read} entry (one for the messages under consent, one per message under the exception, held
     * as its other entries are), in the transaction that reads them.
     */
    public MessageView.Page list(Caller caller, UUID matchId) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Side side = side(c, caller.organisationId(), matchId);
            List<MessageView> out = new ArrayList<>();
            int underConsent = 0;
            for (ExchangeMessageRow row : rows.findByMatchIdAndSignalIdOrderBySentAt(matchId, side.signalId())) {
                out.add(view(row));
                if (row.byException()) {
                    audit.record(c, AuditEvent.of("exchange.read", NodeAudit.actor("prof", caller.username()),
                                    audit.exchange(row.messageId())).with("signal", audit.signal(side.signalId()))
                            .with("match", audit.match(matchId)).with("exception", true));
                } else {
                    underConsent++;
                }
            }
            if (underConsent > 0 || out.isEmpty()) {
                audit.record(c, AuditEvent.of("exchange.read", NodeAudit.actor("prof", caller.username()),
                        audit.match(matchId)).with("signal", audit.signal(side.signalId())).with("count", underConsent));
            }
            return new MessageView.Page(out);
        });
    }

    /** A message's file, opened. */
    public record FileContent(String name, String contentType, byte[] content) {
        @Override
        public String toString() {
            return "FileContent[redacted]";
        }
    }

    /** The file of message {@code messageId} of the match, for the caller's organisation's side; 404 when none. */
    public FileContent file(Caller caller, UUID matchId, UUID messageId) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Side side = side(c, caller.organisationId(), matchId);
            ExchangeMessageRow row = rows.findByMessageIdAndSignalId(messageId, side.signalId())
                    .filter(r -> r.matchId().equals(matchId) && r.fileSealed() != null)
                    .orElseThrow(() -> Problems.notFound("file-not-found", "File not found",
                            "this match has no message with a file under that id"));
            Meta meta = meta(row);
            byte[] content = open(row.fileSealed(), row.rowId(), "file");
            AuditEvent read = AuditEvent.of("exchange.read", NodeAudit.actor("prof", caller.username()),
                    row.byException() ? audit.exchange(messageId) : audit.match(matchId))
                    .with("signal", audit.signal(side.signalId())).with("file", true);
            audit.record(c, row.byException() ? read.with("match", audit.match(matchId)).with("exception", true) : read);
            return new FileContent(meta.fileName(), meta.fileType(), content);
        });
    }

    private MessageView view(ExchangeMessageRow row) {
        Meta meta = meta(row);
        String text = new String(open(row.textSealed(), row.rowId(), "text"), StandardCharsets.UTF_8);
        MessageView.FileInfo file = row.fileSealed() == null ? null
                : new MessageView.FileInfo(meta.fileName(), meta.fileType(), row.fileSize());
        return new MessageView(row.messageId(), row.direction(), row.sentAt(),
                new Delivery.From(meta.organisation(), meta.professional()), text, file, row.consentId(),
                row.byException(), meta.reason());
    }

    private Meta meta(ExchangeMessageRow row) {
        try {
            return json.readValue(open(row.metaSealed(), row.rowId(), "meta"), Meta.class);
        } catch (IOException e) {
            throw new IllegalStateException("a message's sealed meta data is unreadable", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Storage

    private void store(Connection c, UUID messageId, UUID signalId, UUID matchId, String direction, String fromNode,
                       Instant sentAt, @Nullable UUID consentId, Delivery.From from, String text,
                       @Nullable MessageRequest.FileIn fileIn, @Nullable byte[] file, @Nullable String reason)
            throws SQLException {
        UUID rowId = UUID.randomUUID();
        if (reason != null) {
            audit.hold(c, audit.exchange(messageId)); // Veilig Thuis: this exchange's entries sealed until released
        }
        Meta meta = new Meta(from.organisation(), from.professional(), fileIn == null ? null : fileIn.name(),
                fileIn == null ? null : fileIn.contentType(), reason);
        byte[] metaBytes;
        try {
            metaBytes = json.writeValueAsBytes(meta);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a message's meta data", e);
        }
        rows.save(new ExchangeMessageRow(rowId, messageId, signalId, matchId, direction, fromNode, sentAt,
                clock.instant(), consentId, reason != null, seal(metaBytes, rowId, "meta"),
                seal(text.getBytes(StandardCharsets.UTF_8), rowId, "text"), file == null ? null : file.length,
                file == null ? null : seal(file, rowId, "file")));
    }

    /** The subject of an exchange's entries: the match, or under the exception the exchange's own (held) reference. */
    private String subject(Connection c, UUID matchId, UUID messageId, boolean exception) {
        return exception ? audit.exchange(messageId) : audit.match(matchId);
    }

    private byte[] seal(byte[] plaintext, UUID rowId, String what) {
        return keys.aead().encrypt(plaintext, associated(rowId, what));
    }

    private byte[] open(byte[] sealed, UUID rowId, String what) {
        try {
            return keys.aead().decrypt(sealed, associated(rowId, what));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a message's sealed " + what + " cannot be opened", e);
        }
    }

    /** Binds a sealed value to its row and column, so it cannot be moved to another row unnoticed. */
    private static byte[] associated(UUID rowId, String what) {
        return ("betrokken/node/exchange/" + rowId + "/" + what).getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lookups

    /** This node's side of the match for {@code organisationId}; 404 when the organisation holds no signal in it. */
    private Side side(Connection c, String organisationId, UUID matchId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT m.signal_id, s.ref, m.counterpart_node, m.counterpart_ref, m.ticket, m.status, s.status,"
                        + " s.active_until FROM node_match m JOIN signal s ON s.id = m.signal_id"
                        + " WHERE m.match_id = ? AND s.organisation_id = ? AND s.status <> 'ARCHIVED'"
                        + " ORDER BY m.created_at LIMIT 1")) {
            select.setObject(1, matchId);
            select.setString(2, organisationId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw Problems.notFound("match-not-found", "Match not found",
                            "your organisation holds no signal in a match with this id");
                }
                LocalDate until = rs.getObject(8, LocalDate.class);
                String signalStatus = rs.getString(7);
                if ("ACTIVE".equals(signalStatus) && until.isBefore(LocalDate.now(clock))) {
                    signalStatus = "PAST";
                }
                return new Side(matchId, rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), signalStatus, until);
            }
        }
    }

    /** The sender as the receiver reads it: the organisation's name and the professional's display name. */
    private static Delivery.From from(Connection c, Caller caller) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT o.name, a.display_name FROM account a JOIN organisation o ON o.id = ? WHERE a.username = ?")) {
            select.setString(1, caller.organisationId());
            select.setString(2, caller.username());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Delivery.From(rs.getString(1), rs.getString(2))
                        : new Delivery.From(caller.organisationId(), caller.username());
            }
        }
    }

    private static Optional<UUID> signalByRef(Connection c, String ref) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM signal WHERE ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }
}
