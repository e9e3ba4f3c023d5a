package io.tapline.internal.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What tapline knows about a plugin before the project says anything: where to install it from and
 * what it can do (the role Meltano Hub plays for Meltano). Structured facts only; {@link #docs()}
 * links to the prose.
 *
 * @param select the Hub's default {@code select} patterns (empty: none)
 * @param metadata the Hub's default {@code metadata} (a missing node: none)
 * @param extras other structured defaults a runner reads ({@code dialect}, {@code target_schema}), by key
 * @param builtin served by one of tapline's own Java targets (no process, nothing to install)
 */
public record PluginDefinition(CatalogType type, String name, String variant, Optional<String> namespace,
        Optional<String> pipUrl, Optional<String> executable, Set<String> capabilities,
        List<SettingDefinition> settings, List<String> select, Optional<JsonNode> metadata,
        java.util.Map<String, JsonNode> extras, Optional<String> docs, boolean builtin) {
    public PluginDefinition {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(variant, "variant is null");
        capabilities = Set.copyOf(capabilities);
        settings = List.copyOf(settings);
        select = List.copyOf(select);
        extras = java.util.Map.copyOf(extras);
    }

    /** The plugin's documentation: the Hub's {@code docs} link, else its Hub page. */
    public String docsUrl() {
        return docs.orElse("https://hub.meltano.com/" + type.key() + "/" + name + "--" + variant);
    }
}
