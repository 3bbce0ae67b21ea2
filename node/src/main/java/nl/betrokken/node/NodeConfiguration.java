package nl.betrokken.node;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The node's own settings ({@code betrokken.*}).
 *
 * @param nodeId this region's node id, as enrolled at the coordinator ({@code noord})
 * @param dataDir where the node keeps its keys (and, on the embedded default, its database)
 * @param peers the other nodes' base URLs as {@code id=url,id=url}
 * @param publicUrl the node's base URL as people's browsers reach it ({@code https://betrokken.noord.example}): the
 *                  links in e-mails start with it
 */
@ConfigurationProperties("betrokken")
public record NodeConfiguration(String nodeId, Path dataDir, String peers,
                                @Bindable(defaultValue = "http://127.0.0.1:8081") String publicUrl) {

    /** The page at {@code path} (from {@code /}) of this node, as a browser reaches it: for links in e-mails. */
    public String link(String path) {
        return publicUrl.replaceAll("/+$", "") + path;
    }

    /** The peers' base URLs by node id. */
    public Map<String, String> peerUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        if (peers == null || peers.isBlank()) {
            return urls;
        }
        for (String entry : peers.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                urls.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        return urls;
    }
}
