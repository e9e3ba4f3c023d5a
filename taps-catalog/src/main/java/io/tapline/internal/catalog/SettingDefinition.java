package io.tapline.internal.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plugin setting as the Hub defines it: its name, Meltano {@code kind} ({@code string},
 * {@code integer}, {@code boolean}, {@code array}, {@code object}, {@code password}, ...; string when
 * the Hub names none), default {@code value}, whether it is sensitive, a custom {@code env} variable
 * and its {@code aliases}.
 */
public record SettingDefinition(String name, String kind, Optional<JsonNode> defaultValue, boolean sensitive,
        Optional<String> env, List<String> aliases) {
    public SettingDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(env, "env is null");
        aliases = List.copyOf(aliases);
    }

    /** {@code "port:integer"} or {@code "path"} (kind string): the short form of tapline's own entries. */
    public static SettingDefinition parse(String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String kind = colon < 0 ? "string" : spec.substring(colon + 1);
        return new SettingDefinition(name, kind, Optional.empty(), "password".equals(kind), Optional.empty(), List.of());
    }

    /** A setting object of a Hub definition. */
    static SettingDefinition fromHub(JsonNode s) {
        List<String> aliases = new ArrayList<>();
        s.path("aliases").forEach(a -> aliases.add(a.asText()));
        JsonNode value = s.get("value");
        String kind = s.path("kind").asText("string");
        return new SettingDefinition(s.path("name").asText(), kind,
                value == null || value.isNull() ? Optional.empty() : Optional.of(value.deepCopy()),
                s.path("sensitive").asBoolean(false) || "password".equals(kind),
                s.hasNonNull("env") ? Optional.of(s.get("env").asText()) : Optional.empty(), aliases);
    }
}
