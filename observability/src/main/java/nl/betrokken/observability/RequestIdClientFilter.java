package nl.betrokken.observability;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.ClientFilterChain;
import io.micronaut.http.filter.HttpClientFilter;
import org.reactivestreams.Publisher;

/**
 * Sends the current request id ({@link RequestIds#current}) as {@code X-Request-Id} on every outgoing call: on the
 * clients the application context makes, and on those made with {@link Clients#create}.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class RequestIdClientFilter implements HttpClientFilter {

    static final RequestIdClientFilter INSTANCE = new RequestIdClientFilter();

    @Override
    public Publisher<? extends HttpResponse<?>> doFilter(MutableHttpRequest<?> request, ClientFilterChain chain) {
        String id = RequestIds.current();
        if (id != null && !request.getHeaders().contains(RequestIds.HEADER)) {
            request.header(RequestIds.HEADER, id);
        }
        return chain.proceed(request);
    }
}
