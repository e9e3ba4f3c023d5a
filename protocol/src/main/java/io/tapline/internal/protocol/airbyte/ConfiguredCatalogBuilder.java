package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.catalog.CatalogSelection;
import io.tapline.internal.protocol.catalog.MetadataRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code ConfiguredAirbyteCatalog} for {@code read} from a discovered {@code AirbyteCatalog}
 * and a selection written as Meltano's {@code select} and {@code select_filter} extras.
 *
 * <p>Selection follows Meltano's rules, matched against stream names: {@code users} or {@code users.*}
 * takes the whole stream, {@code users.id} the stream with only the top-level property {@code id}
 * (nested properties go with their top-level one), {@code !pattern} excludes; the default is
 * {@code *.*}, everything. The primary key and cursor fields are always kept. Patterns naming a stream
 * or property the catalog lacks are logged at WARN.
 *
 * <p>Each selected stream is read {@code incremental} when it supports that and its cursor is known
 * ({@code source_defined_cursor}, or a {@code default_cursor_field}), or when it supports nothing else;
 * otherwise {@code full_refresh}. It is loaded {@code append_dedup} when the source defines a primary
 * key, else {@code overwrite} for a full refresh and {@code append} for an incremental read.
 *
 * <p>The discovered catalog is never changed. Not thread-safe; cheap to build.
 */
public final class ConfiguredCatalogBuilder {
    private static final Logger log = LoggerFactory.getLogger(ConfiguredCatalogBuilder.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> STREAM_NODE = List.of();

    private final JsonNode catalog;
    private List<String> select = List.of("*.*");
    private List<String> selectFilter = List.of();

    private ConfiguredCatalogBuilder(JsonNode catalog) {
        this.catalog = catalog;
    }

    /**
     * @param catalog the {@code AirbyteCatalog} from {@code discover} ({@link AirbyteCatalogMessage#catalog()})
     * @throws ConfigException if it has no {@code streams} array
     */
    public static ConfiguredCatalogBuilder forCatalog(JsonNode catalog) {
        requireNonNull(catalog, "catalog is null");
        if (!catalog.path("streams").isArray()) {
            throw new ConfigException("the Airbyte catalog has no \"streams\" array");
        }
        return new ConfiguredCatalogBuilder(catalog);
    }

    /** Meltano {@code select} patterns; the default, {@code *.*}, selects everything. */
    public ConfiguredCatalogBuilder select(List<String> patterns) {
        this.select = List.copyOf(patterns);
        return this;
    }

    /** Meltano {@code select_filter} patterns (stream part only); empty, the default, filters nothing. */
    public ConfiguredCatalogBuilder selectFilter(List<String> patterns) {
        this.selectFilter = List.copyOf(patterns);
        return this;
    }

    public ConfiguredCatalog build() {
        List<MetadataRule> rules = CatalogSelection.rules(select, List.of(), selectFilter);
        for (String warning : CatalogSelection.warnings(asSingerCatalog(), rules)) {
            log.warn("{}", warning);
        }
        ArrayNode configured = NODES.arrayNode();
        List<ConfiguredStream> streams = new ArrayList<>();
        for (JsonNode stream : catalog.path("streams")) {
            Optional<String> name = Payloads.text(stream, "name").filter(n -> !n.isEmpty());
            if (name.isEmpty()) {
                throw new ConfigException("a stream in the Airbyte catalog has no \"name\"");
            }
            if (!selected(rules, name.get(), STREAM_NODE)) {
                continue;
            }
            if (!stream.path("json_schema").isObject()) {
                throw new ConfigException("stream '" + name.get() + "' in the Airbyte catalog has no \"json_schema\" object");
            }
            ConfiguredStream chosen = configure(stream, name.get(), rules);
            streams.add(chosen);
            configured.add(json(stream, chosen));
        }
        if (streams.isEmpty()) {
            log.warn("No stream of the Airbyte catalog is selected by {}", select);
        }
        ObjectNode out = NODES.objectNode();
        out.set("streams", configured);
        return new ConfiguredCatalog(out, streams);
    }

    private static ConfiguredStream configure(JsonNode stream, String name, List<MetadataRule> rules) {
        List<String> supported = strings(stream.path("supported_sync_modes"));
        List<String> defaultCursor = strings(stream.path("default_cursor_field"));
        boolean cursorKnown = stream.path("source_defined_cursor").asBoolean(false) || !defaultCursor.isEmpty();
        boolean incremental = supported.contains(SyncMode.INCREMENTAL.wire())
                && (cursorKnown || !supported.contains(SyncMode.FULL_REFRESH.wire()));
        SyncMode syncMode = incremental ? SyncMode.INCREMENTAL : SyncMode.FULL_REFRESH;
        List<List<String>> primaryKey = new ArrayList<>();
        for (JsonNode path : stream.path("source_defined_primary_key")) {
            List<String> parts = strings(path);
            if (!parts.isEmpty()) {
                primaryKey.add(parts);
            }
        }
        DestinationSyncMode destination = !primaryKey.isEmpty() ? DestinationSyncMode.APPEND_DEDUP
                : incremental ? DestinationSyncMode.APPEND : DestinationSyncMode.OVERWRITE;
        List<String> cursor = incremental ? defaultCursor : List.of();

        Set<String> kept = new HashSet<>();
        primaryKey.forEach(path -> kept.add(path.get(0)));
        if (!cursor.isEmpty()) {
            kept.add(cursor.get(0));
        }
        JsonNode schema = selectedProperties(stream.path("json_schema"), name, rules, kept);
        StreamDescriptor descriptor = new StreamDescriptor(StreamName.of(name), Payloads.text(stream, "namespace"));
        return new ConfiguredStream(descriptor, syncMode, destination, cursor, primaryKey, schema);
    }

    /** The schema with only the selected top-level properties (and {@code kept}); the same node if all are. */
    private static JsonNode selectedProperties(JsonNode schema, String stream, List<MetadataRule> rules,
            Set<String> kept) {
        JsonNode properties = schema.path("properties");
        if (!properties.isObject()) {
            return schema;
        }
        List<String> dropped = new ArrayList<>();
        properties.fieldNames().forEachRemaining(property -> {
            if (!kept.contains(property) && !selected(rules, stream, List.of("properties", property))) {
                dropped.add(property);
            }
        });
        if (dropped.isEmpty()) {
            return schema;
        }
        ObjectNode copy = schema.deepCopy();
        ((ObjectNode) copy.get("properties")).remove(dropped);
        if (copy.path("required").isArray()) {
            ArrayNode required = NODES.arrayNode();
            copy.get("required").forEach(r -> {
                if (!dropped.contains(r.asText())) {
                    required.add(r);
                }
            });
            copy.set("required", required);
        }
        return copy;
    }

    /** Meltano's reading: the last rule matching the node decides; no rule, not selected. */
    private static boolean selected(List<MetadataRule> rules, String stream, List<String> breadcrumb) {
        boolean selected = false;
        for (MetadataRule rule : rules) {
            if (rule.key().equals("selected") && rule.matches(stream, breadcrumb)) {
                selected = rule.value().asBoolean(false);
            }
        }
        return selected;
    }

    private static ObjectNode json(JsonNode stream, ConfiguredStream chosen) {
        ObjectNode airbyteStream = stream.deepCopy();
        airbyteStream.set("json_schema", chosen.jsonSchema());
        ObjectNode out = NODES.objectNode();
        out.set("stream", airbyteStream);
        out.put("sync_mode", chosen.syncMode().wire());
        if (chosen.syncMode() == SyncMode.INCREMENTAL) {
            ArrayNode cursor = out.putArray("cursor_field");
            chosen.cursorField().forEach(cursor::add);
        }
        out.put("destination_sync_mode", chosen.destinationSyncMode().wire());
        if (!chosen.primaryKey().isEmpty()) {
            ArrayNode keys = out.putArray("primary_key");
            for (List<String> path : chosen.primaryKey()) {
                ArrayNode parts = keys.addArray();
                path.forEach(parts::add);
            }
        }
        return out;
    }

    /** The catalog in the shape Meltano's warnings read: stream ids and schemas. */
    private ObjectNode asSingerCatalog() {
        ObjectNode out = NODES.objectNode();
        ArrayNode streams = out.putArray("streams");
        for (JsonNode stream : catalog.path("streams")) {
            ObjectNode s = streams.addObject();
            s.put("tap_stream_id", stream.path("name").asText(""));
            JsonNode schema = stream.get("json_schema");
            if (schema != null && schema.isObject()) {
                s.set("schema", schema); // shared, read only
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (n.isTextual()) {
                out.add(n.asText());
            }
        }
        return out;
    }
}
