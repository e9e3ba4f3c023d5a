package io.tapline.internal.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Meltano Hub's plugin API at {@code hub_api_root} (Meltano's setting; default
 * {@code <hub_url>/meltano/api/v1}): {@code plugins/<type>/index} lists the names with their default
 * variant, {@code plugins/<type>/<name>--<variant>} returns one definition. Every answer is kept for
 * the life of this object, so a project asks the Hub once per plugin.
 */
final class HubApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI root;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, JsonNode> answers = new HashMap<>();

    HubApi(URI root) {
        String r = root.toString();
        this.root = URI.create(r.endsWith("/") ? r : r + "/");
    }

    /** The root for Meltano's {@code hub_api_root}, else {@code hub_url} + {@code /meltano/api/v1}. */
    static Optional<URI> root(Optional<String> hubApiRoot, Optional<String> hubUrl) {
        return hubApiRoot.filter(s -> !s.isBlank()).map(URI::create)
                .or(() -> hubUrl.filter(s -> !s.isBlank()).map(u -> URI.create(u.replaceAll("/+$", "") + "/meltano/api/v1")));
    }

    /** The default variant of {@code name} by the Hub's index; empty when the Hub does not list it. */
    Optional<String> defaultVariant(CatalogType type, String name) throws IOException {
        JsonNode entry = get("plugins/" + type.key() + "/index").path(name);
        return entry.hasNonNull("default_variant") ? Optional.of(entry.get("default_variant").asText()) : Optional.empty();
    }

    /** One definition as the Hub serves it; empty when the Hub answers 404. */
    Optional<JsonNode> definition(CatalogType type, String name, String variant) throws IOException {
        JsonNode d = get("plugins/" + type.key() + "/" + name + "--" + variant);
        return d.isMissingNode() ? Optional.empty() : Optional.of(d);
    }

    private synchronized JsonNode get(String path) throws IOException {
        JsonNode known = answers.get(path);
        if (known != null) {
            return known;
        }
        URI uri = root.resolve(path);
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer;
            if (r.statusCode() == 404) {
                answer = JSON.missingNode();
            } else if (r.statusCode() / 100 != 2) {
                throw new IOException(uri + " answered HTTP " + r.statusCode());
            } else {
                answer = JSON.readTree(r.body());
            }
            answers.put(path, answer);
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri, e);
        }
    }
}
