package nl.betrokken.observability;

import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.UriRouteInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every incoming call its request id ({@link RequestIds}): the caller's {@code X-Request-Id} when valid, else
 * a new one; puts it in the MDC for the whole call, echoes it in the answer, and logs one line per call with the
 * method, the route's template (never the path itself, which may hold an identifier), the status and the time taken.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdServerFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger("nl.betrokken.access");
    private static final String STARTED = "betrokken.request-started";

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before();
    }

    @RequestFilter
    void in(HttpRequest<?> request, MutablePropagatedContext context) {
        String given = request.getHeaders().get(RequestIds.HEADER);
        String id = RequestIds.valid(given) ? given : RequestIds.fresh();
        request.setAttribute(RequestIds.MDC_KEY, id);
        request.setAttribute(STARTED, System.nanoTime());
        context.add(RequestIds.context(id));
    }

    @ResponseFilter
    void out(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getAttribute(RequestIds.MDC_KEY, String.class).orElse(null);
        if (id == null) {
            return;
        }
        response.header(RequestIds.HEADER, id);
        long started = request.getAttribute(STARTED, Long.class).orElse(System.nanoTime());
        String route = request.getAttribute(HttpAttributes.ROUTE_INFO, UriRouteInfo.class)
                .map(r -> r.getUriMatchTemplate().toString())
                .orElse("(no route)");
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {} ms", request.getMethodName(), route, response.code(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
