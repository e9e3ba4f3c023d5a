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
 * @param extra a plugin extra ({@code _select}, {@code _limits}, ...): read from the plugin's own keys
 *     ({@code select:}, {@code limits:}) rather than from {@code config:}, and never written to the
 *     plugin's config file. A {@code config:} key that merely starts with {@code _} is not an extra.
 */
public record SettingSpec(String name, String kind, Optional<JsonNode> defaultValue, boolean sensitive,
        Optional<String> env, List<String> aliases, boolean extra) {
    public SettingSpec {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        aliases = List.copyOf(aliases);
        sensitive = sensitive || "password".equals(kind);
    }

    static SettingSpec custom(String name, String kind) {
        return new SettingSpec(name, kind, Optional.empty(), false, Optional.empty(), List.of(), false);
    }

    /** An extra named {@code _<key>}, read from the plugin's {@code <key>:}. */
    static SettingSpec extra(String name, String kind, Optional<JsonNode> defaultValue) {
        return new SettingSpec(name, kind, defaultValue, false, Optional.empty(), List.of(), true);
    }

    SettingSpec asSensitive() {
        return new SettingSpec(name, kind, defaultValue, true, env, aliases, extra);
    }

    /** The plugin-level key an extra is read from: {@code _select} is {@code select:}. */
    String extraKey() {
        return name.substring(1);
    }

    static SettingSpec fromYaml(JsonNode s) {
        List<String> aliases = new java.util.ArrayList<>();
        s.path("aliases").forEach(a -> aliases.add(a.asText()));
        JsonNode value = s.get("value");
        return new SettingSpec(s.path("name").asText(), s.path("kind").asText("string"),
                value == null || value.isNull() ? Optional.empty() : Optional.of(value),
                s.path("sensitive").asBoolean(false),
                s.hasNonNull("env") ? Optional.of(s.get("env").asText()) : Optional.empty(), aliases, false);
    }
}
