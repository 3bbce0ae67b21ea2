package nl.betrokken.node.audit;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import org.reactivestreams.Publisher;

/**
 * Appends an entry for every authenticated request of a privileged role to the node's API ({@code /api/**}):
 * {@code access.coordinator}, {@code access.gemeente}, {@code access.auditor} or {@code access.matchcoordinator}, by
 * the account, naming the path
 * with ids left out ({@code api:/api/v1/archive/signals/:id/access}) and the method. It decides nothing: it runs
 * before the {@code @Secured} rule, so a request that is then refused (403) is recorded too (a deactivated account
 * never gets this far: it does not sign in). What the request did is the entry of the operation itself.
 */
@Singleton
public class PrivilegedAccessRule implements SecurityRule<HttpRequest<?>> {

    static final int ORDER = SecuredAnnotationRule.ORDER - 50;
    private static final Map<String, String> ACTOR = Map.of(
            "COORDINATOR", "coord", "GEMEENTE", "gemeente", "AUDITOR", "auditor", "MATCHCOORDINATOR", "matchcoord");
    private static final Pattern UUID_SEGMENT =
            Pattern.compile("/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=/|$)");

    private final NodeAudit audit;
    private final ExecutorService blocking;

    PrivilegedAccessRule(NodeAudit audit, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.audit = audit;
        this.blocking = blocking;
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (authentication == null || !request.getPath().startsWith("/api/")) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        AuditEvent event = event(authentication, "api", request.getPath(), request.getMethodName());
        if (event == null) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        // A database write: off the event loop.
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(() -> {
            audit.record(event);
            return SecurityRuleResult.UNKNOWN;
        }, blocking));
    }

    /**
     * The entry for a request of {@code authentication} to {@code path} when its role is privileged (coordinator,
     * gemeente, auditor): {@code access.<role>} by the account, subject {@code <where>:<path without ids>}, with the
     * method; null for another role. The werkplek's pages record one too ({@code where} = {@code werkplek}).
     */
    public static @Nullable AuditEvent event(Authentication authentication, String where, String path, String method) {
        String role = authentication.getRoles().stream().filter(ACTOR::containsKey).findFirst().orElse(null);
        if (role == null) {
            return null;
        }
        return AuditEvent.of("access." + role.toLowerCase(), NodeAudit.actor(ACTOR.get(role),
                authentication.getName()), where + ":" + path(path)).with("method", method);
    }

    /** The path without ids (a signal id in a path would outlive the signal's erasure in the log). */
    static String path(String path) {
        String p = UUID_SEGMENT.matcher(path).replaceAll("/:id");
        return NodeAudit.reference(p.length() > 150 ? p.substring(0, 150) : p);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
