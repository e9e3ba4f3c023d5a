package io.tapline.internal.runner.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.internal.runner.project.PluginConfig;
import io.tapline.spi.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The values tapline treats as secret for one plugin or run, and the one way text about it is masked:
 * plugin stderr as it is logged and kept for error messages, error messages, run history rows and
 * alerts. The values come from one notion of "sensitive": settings declared {@code sensitive: true} or
 * {@code kind: password} (in {@code meltano.yml}, the lock file or the plugin catalog), and the fields of
 * an Airbyte connector's spec marked {@code airbyte_secret: true}. Immutable; {@link #toString()} never
 * shows a value.
 */
public final class Secrets {
    static final String MASK = "****";
    private static final Secrets NONE = new Secrets(List.of());

    private final List<String> values; // longest first, so one that contains another is masked whole

    private Secrets(List<String> values) {
        this.values = values;
    }

    public static Secrets none() {
        return NONE;
    }

    public static Secrets of(Collection<Secret> secrets) {
        return ofValues(secrets.stream().map(Secret::value).toList());
    }

    /** From plain values; empty ones are ignored (masking "" would mask nothing and everything). */
    public static Secrets ofValues(Collection<String> values) {
        List<String> sorted = values.stream().filter(v -> v != null && !v.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return sorted.isEmpty() ? NONE : new Secrets(sorted);
    }

    /**
     * The values of {@code config} at the properties {@code schema} (an Airbyte {@code connectionSpecification})
     * marks {@code airbyte_secret: true}, also inside {@code oneOf}/{@code anyOf}/{@code allOf} branches,
     * nested objects and arrays.
     */
    public static Secrets airbyte(JsonNode schema, JsonNode config) {
        List<String> found = new ArrayList<>();
        collectAirbyte(schema, config, found);
        return ofValues(found);
    }

    /**
     * The values of {@code plugin}'s sensitive settings: declared {@code sensitive: true} or {@code kind: password}
     * in the project file ({@code a.b} also finds a nested {@code {a: {b: ...}}}), in the lock file or in the
     * plugin catalog.
     */
    public static Secrets forPlugin(PluginConfig plugin) {
        List<String> out = new ArrayList<>();
        for (String name : plugin.runtime().sensitiveSettings()) {
            JsonNode v = plugin.config().path(name);
            if (v.isMissingNode()) {
                v = plugin.config();
                for (String part : name.split("\\.")) {
                    v = v.path(part);
                }
            }
            if (v.isValueNode() && !v.isNull()) {
                out.add(v.asText());
            }
        }
        out.addAll(plugin.settings().secrets());
        return ofValues(out);
    }

    /** The values as {@link Secret}s, for the API's builders. */
    public List<Secret> toList() {
        return values.stream().map(Secret::new).toList();
    }

    /** Both sets. */
    public Secrets and(Secrets other) {
        if (other.values.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(values);
        all.addAll(other.values);
        return ofValues(all);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code text} with every secret value replaced by {@code ****}. */
    public String mask(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }

    /** Each line masked. */
    public List<String> mask(List<String> lines) {
        return values.isEmpty() ? List.copyOf(lines) : lines.stream().map(this::mask).toList();
    }

    /** Whether {@code text} holds a secret value (for checks; never put the answer's reason in a message). */
    public boolean foundIn(String text) {
        return values.stream().anyMatch(text::contains);
    }

    @Override
    public String toString() {
        return "Secrets[" + values.size() + " values]";
    }

    private static void collectAirbyte(JsonNode schema, JsonNode value, List<String> out) {
        if (schema == null || value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        if (schema.path("airbyte_secret").asBoolean(false)) {
            out.add(value.isValueNode() ? value.asText() : value.toString());
            return;
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            schema.path(combinator).forEach(branch -> collectAirbyte(branch, value, out));
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                collectAirbyte(p.getValue(), value.get(p.getKey()), out);
            }
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(item -> collectAirbyte(schema.get("items"), item, out));
        }
    }
}
