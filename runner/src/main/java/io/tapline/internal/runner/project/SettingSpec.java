package io.tapline.internal.runner.project;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A plugin setting as Meltano defines it (from meltano.yml {@code settings}, a lock file or the
 * bundled catalog).
 *
 * @param defaultValue the setting's {@code value}, if any
 * @param sensitive {@code sensitive: true} or {@code kind: password}: redacted wherever tapline writes it
 * @param env a custom environment variable name ({@code env:})
 */
public record SettingSpec(String name, String kind, Optional<JsonNode> defaultValue, boolean sensitive,
        Optional<String> env, List<String> aliases) {
    public SettingSpec {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        aliases = List.copyOf(aliases);
        sensitive = sensitive || "password".equals(kind);
    }

    static SettingSpec custom(String name, String kind) {
        return new SettingSpec(name, kind, Optional.empty(), false, Optional.empty(), List.of());
    }

    static SettingSpec fromYaml(JsonNode s) {
        List<String> aliases = new java.util.ArrayList<>();
        s.path("aliases").forEach(a -> aliases.add(a.asText()));
        JsonNode value = s.get("value");
        return new SettingSpec(s.path("name").asText(), s.path("kind").asText("string"),
                value == null || value.isNull() ? Optional.empty() : Optional.of(value),
                s.path("sensitive").asBoolean(false),
                s.hasNonNull("env") ? Optional.of(s.get("env").asText()) : Optional.empty(), aliases);
    }
}
