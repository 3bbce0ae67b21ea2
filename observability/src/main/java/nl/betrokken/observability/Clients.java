package nl.betrokken.observability;

import java.net.URI;

import io.micronaut.core.annotation.AnnotationMetadataResolver;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.body.MessageBodyHandlerRegistry;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.LoadBalancer;
import io.micronaut.http.client.netty.DefaultHttpClient;
import io.micronaut.http.client.netty.ssl.NettyClientSslBuilder;
import io.micronaut.http.codec.MediaTypeCodecRegistry;
import jakarta.inject.Singleton;

/**
 * HTTP clients to a URL known only at run time (another node), with the application's codecs and
 * {@link RequestIdClientFilter}, which a client made with {@code HttpClient.create} would not get. The caller closes
 * them.
 */
@Singleton
public class Clients {

    private final MediaTypeCodecRegistry codecs;
    private final MessageBodyHandlerRegistry handlers;
    private final ConversionService conversion;

    Clients(MediaTypeCodecRegistry codecs, MessageBodyHandlerRegistry handlers, ConversionService conversion) {
        this.codecs = codecs;
        this.handlers = handlers;
        this.conversion = conversion;
    }

    public HttpClient create(URI base, HttpClientConfiguration configuration) {
        return new DefaultHttpClient(LoadBalancer.fixed(base), configuration, null, null,
                new NettyClientSslBuilder(new ResourceResolver()), codecs, handlers, AnnotationMetadataResolver.DEFAULT,
                conversion, RequestIdClientFilter.INSTANCE);
    }
}
