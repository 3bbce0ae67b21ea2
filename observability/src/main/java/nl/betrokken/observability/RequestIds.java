package nl.betrokken.observability;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.propagation.PropagatedContext;
import org.slf4j.MDC;

/**
 * The request id of a call: taken from an incoming {@value #HEADER} header when it has the form the services make
 * themselves ({@link #valid}: 32 hex digits, with a short kind in front for background work), else new; so a
 * caller's own correlation number (a case number, a BSN) is never logged nor passed on to the coordinator. It is kept in the MDC under {@value #MDC_KEY} (so every log line of the call
 * carries it), sent on every outgoing call ({@link RequestIdClientFilter}) and echoed in the answer
 * ({@link RequestIdServerFilter}). Background work (a pass of the outbox sender, of the feed follower) takes a new
 * one per pass with {@link #background}.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern OURS = Pattern.compile("(?:[a-z]{1,16}-)?[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    /** Whether an incoming id may be used: one the services made ({@link #fresh}, {@link #background}). */
    public static boolean valid(@Nullable String id) {
        return id != null && OURS.matcher(id).matches();
    }

    /** A new id: 16 random bytes in hex. */
    public static String fresh() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The id of the work this thread does now, if any. */
    @Nullable
    public static String current() {
        String id = MDC.get(MDC_KEY);
        if (id != null) {
            return id;
        }
        return PropagatedContext.find()
                .flatMap(c -> c.find(MdcPropagationContext.class))
                .map(m -> m.state().get(MDC_KEY))
                .orElse(null);
    }

    /** The MDC context of a call with this id, on top of what the MDC holds now. */
    static MdcPropagationContext context(String id) {
        Map<String, String> state = new LinkedHashMap<>();
        Map<String, String> now = MDC.getCopyOfContextMap();
        if (now != null) {
            state.putAll(now);
        }
        state.put(MDC_KEY, id);
        return new MdcPropagationContext(state);
    }

    /**
     * Starts a pass of background work under a new id ({@code <kind>-<random>}), in the MDC and in the propagated
     * context (which the HTTP clients read); closing the scope restores what was there.
     */
    public static PropagatedContext.Scope background(String kind) {
        return PropagatedContext.getOrEmpty().plus(context(kind + "-" + fresh())).propagate();
    }
}
