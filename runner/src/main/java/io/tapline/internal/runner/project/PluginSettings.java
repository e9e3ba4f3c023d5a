package io.tapline.internal.runner.project;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's settings after every layer was applied: each value with where it came from, the
 * environment variables it is written to, and the environment the plugin process gets.
 *
 * @param values the settings, then the extras ({@code _select}, {@code _load_schema}, ...)
 * @param env what is added to the plugin process's environment: the {@code env:} layers, each
 *     setting under every name Meltano writes it to, and {@code MELTANO_*} plugin info
 */
public record PluginSettings(List<Value> values, Map<String, String> env) {
    public PluginSettings {
        values = List.copyOf(values);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /**
     * One setting.
     *
     * @param value empty when no layer gave it one
     * @param source empty when there is no value
     * @param fromVariable the environment variable the value was read from, for ENV and DOTENV
     * @param readVariables the names the value is read from in the environment and {@code .env}
     * @param writeVariables the names the value is exported under, most specific first
     */
    public record Value(SettingSpec spec, Optional<JsonNode> value, Optional<SettingSource> source,
            Optional<String> fromVariable, List<String> readVariables, List<String> writeVariables) {
        public Value {
            requireNonNull(spec, "spec is null");
            readVariables = List.copyOf(readVariables);
            writeVariables = List.copyOf(writeVariables);
        }

        public boolean extra() { return spec.extra(); }

        /** The value as {@code config list} shows it: sensitive values as {@code (redacted)}. */
        public String display() {
            return value.map(EnvVars::render).map(v -> spec.sensitive() && !v.isEmpty() ? "(redacted)" : v).orElse("");
        }
    }

    public Optional<Value> get(String name) {
        return values.stream().filter(v -> v.spec().name().equals(name)).findFirst();
    }

    /** The values of sensitive settings, for redacting text before it is logged. */
    public List<String> secrets() {
        List<String> out = new java.util.ArrayList<>();
        for (Value v : values) {
            if (v.spec().sensitive() && v.value().isPresent()) {
                out.add(EnvVars.render(v.value().get()));
                // a sensitive block ({@code ssh:}) is masked whole, and its passphrase wherever it appears alone
                v.value().get().findValues("passphrase").stream().filter(JsonNode::isValueNode)
                        .map(JsonNode::asText).forEach(out::add);
            }
        }
        return out.stream().filter(s -> !s.isEmpty()).distinct().toList();
    }
}
