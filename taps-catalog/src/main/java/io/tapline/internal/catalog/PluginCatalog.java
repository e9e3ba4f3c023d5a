package io.tapline.internal.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The bundled catalog of known taps, targets and sources ({@code plugins.yml} in this jar). */
public final class PluginCatalog {
    private final List<PluginDefinition> plugins;

    private PluginCatalog(List<PluginDefinition> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    public static PluginCatalog bundled() {
        try (InputStream in = PluginCatalog.class.getResourceAsStream("plugins.yml")) {
            if (in == null) {
                throw new IllegalStateException("plugins.yml missing from the taps-catalog jar");
            }
            return parse(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the bundled plugin catalog", e);
        }
    }

    static PluginCatalog parse(JsonNode root) {
        List<PluginDefinition> out = new ArrayList<>();
        for (PluginType type : PluginType.values()) {
            for (JsonNode p : root.path(type.name().toLowerCase(java.util.Locale.ROOT))) {
                Set<String> caps = new HashSet<>();
                p.path("capabilities").forEach(c -> caps.add(c.asText()));
                List<SettingDefinition> settings = new ArrayList<>();
                p.path("settings").forEach(s -> settings.add(SettingDefinition.parse(s.asText())));
                out.add(new PluginDefinition(type, p.path("name").asText(), p.path("variant").asText("default"),
                        text(p, "pip_url"), text(p, "executable"), caps, settings, p.path("builtin").asBoolean(false)));
            }
        }
        return new PluginCatalog(out);
    }

    private static Optional<String> text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    public List<PluginDefinition> all() { return plugins; }

    /** The definition for {@code name}, preferring {@code variant} when given. */
    public Optional<PluginDefinition> find(PluginType type, String name, Optional<String> variant) {
        List<PluginDefinition> named = plugins.stream().filter(p -> p.type() == type && p.name().equals(name)).toList();
        if (variant.isPresent()) {
            Optional<PluginDefinition> exact = named.stream().filter(p -> p.variant().equals(variant.get())).findFirst();
            if (exact.isPresent()) {
                return exact;
            }
        }
        return named.stream().findFirst();
    }
}
