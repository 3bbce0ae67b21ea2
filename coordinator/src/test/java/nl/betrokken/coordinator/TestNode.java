package nl.betrokken.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;

/** An enrolled node as a test drives it: signs a fresh token for every call, as a real node does. */
public record TestNode(Harness harness, String id, TokenKeyPair key) {

    /** A valid token: iss = sub = the node id, aud the coordinator, five minutes, a fresh jti. */
    public String token() {
        return token(b -> b);
    }

    /** A token built from the valid one with {@code change} applied (to forge refusals). */
    public String token(UnaryOperator<TokenClaims.Builder> change) {
        Instant now = harness.clock().instant();
        TokenClaims.Builder b = TokenClaims.builder()
                .issuer(id).subject(id).audience(NodeAuthentication.AUDIENCE)
                .jwtId(UUID.randomUUID().toString())
                .issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5)));
        return Es256TokenSigner.create(key, NodeAuthentication.TOKEN_TYPE).sign(change.apply(b).build());
    }

    public Harness.Response submit(List<Map<String, Object>> records) {
        return harness.call("POST", "/internal/v1/signals", Map.of("signals", records), token());
    }

    public Harness.Response end(String ref, java.time.LocalDate on) {
        return harness.call("POST", "/internal/v1/signals/end",
                Map.of("ends", List.of(Map.of("ref", ref, "on", on.toString()))), token());
    }

    public Harness.Response erase(String ref) {
        return harness.call("POST", "/internal/v1/signals/erase", Map.of("refs", List.of(ref)), token());
    }

    /** The feed after {@code after}, waiting up to {@code waitSeconds}. */
    public Harness.Response feed(long after, int waitSeconds) {
        return harness.call("GET", "/internal/v1/feed?after=" + after + "&waitSeconds=" + waitSeconds, null, token());
    }

    /** Every entry of the feed from the start, once the matcher has taken every queued signal. */
    public List<JsonNode> allEntries() {
        harness.awaitMatching();
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = feed(after, 0).body();
            page.get("entries").forEach(all::add);
            if (page.get("entries").isEmpty()) {
                return all;
            }
            after = page.get("next").asLong();
        }
    }

    /** The MATCH_CREATED entries from the start. */
    public List<JsonNode> created() {
        return allEntries().stream().filter(e -> "MATCH_CREATED".equals(e.get("kind").asText())).toList();
    }
}
