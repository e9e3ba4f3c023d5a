package io.tapline.internal.protocol.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.protocol.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Meltano's own catalog fixtures, copied verbatim under {@code testdata/meltano/} (MIT; see
 * {@code testdata/PROVENANCE.md}), and small JSON helpers for the tests that use them.
 */
final class MeltanoCatalogs {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SINGER = Fixtures.meltano("tests/meltano/core/plugin/singer");

    private MeltanoCatalogs() {}

    /** A catalog from {@code test_catalog.py.extracted/}, e.g. {@code CATALOG}. */
    static ObjectNode catalog(String name) {
        return (ObjectNode) read(SINGER.resolve("test_catalog.py.extracted").resolve(name + ".json"));
    }

    /** A catalog from {@code test_tap.py.extracted/}. */
    static ObjectNode tapCatalog(String name) {
        return (ObjectNode) read(SINGER.resolve("test_tap.py.extracted").resolve(name + ".json"));
    }

    /** {@code CATALOG_PROPERTIES} from {@code test_catalog.py.extracted/}. */
    static List<String> catalogProperties() {
        List<String> out = new java.util.ArrayList<>();
        read(SINGER.resolve("test_catalog.py.extracted/CATALOG_PROPERTIES.json")).forEach(p -> out.add(p.asText()));
        return out;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Meltano's {@code property_breadcrumb}, the {@code bc(...)} of CASES.md. */
    static List<String> bc(String... props) {
        return MetadataRule.propertyBreadcrumb(List.of(props));
    }

    /** The stream's metadata entry with this breadcrumb; fails if there is none. */
    static JsonNode entry(JsonNode catalog, String streamId, List<String> breadcrumb) {
        for (JsonNode stream : catalog.path("streams")) {
            if (!stream.path("tap_stream_id").asText().equals(streamId)) {
                continue;
            }
            for (JsonNode e : stream.path("metadata")) {
                if (breadcrumb.equals(CatalogWalk.breadcrumb(e))) {
                    return e;
                }
            }
        }
        throw new AssertionError("no metadata entry " + breadcrumb + " for stream " + streamId);
    }

    private static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
