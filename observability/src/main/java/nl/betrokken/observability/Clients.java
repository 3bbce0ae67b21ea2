package nl.betrokken.observability;

import java.net.URI;

import io.micronaut.core.annotation.AnnotationMetadataResolver;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.LoadBalancer;
import io.micronaut.http.client.netty.DefaultHttpClient;
import io.micronaut.http.client.netty.ssl.NettyClientSslBuilder;

/**
 * HTTP clients to a URL known only at run time (another node), made as {@code HttpClient.create} makes them but with
 * {@link RequestIdClientFilter}, which clients made outside the application context would not get.
 */
public final class Clients {

    private Clients() {
    }

    public static HttpClient create(URI base, HttpClientConfiguration configuration) {
        return new DefaultHttpClient(LoadBalancer.fixed(base), configuration, null, null,
                new NettyClientSslBuilder(new ResourceResolver()), null, null, AnnotationMetadataResolver.DEFAULT,
                ConversionService.SHARED, RequestIdClientFilter.INSTANCE);
    }
}
