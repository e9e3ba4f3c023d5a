package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.ContainerImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project-file keys of an Airbyte source. tapline's own shape:
 * <pre>
 * - name: source-faker
 *   protocol: airbyte
 *   image: airbyte/source-faker:6.2.0     # else pip_url/executable run it locally
 *   container: {runtime: [podman, ...], network: none, memory: 1g, cpus: 1, user: "1000", run_args: [...]}
 *   config: {count: 100}
 * </pre>
 * and the shape of Meltano projects using the tap-airbyte wrapper, which tapline runs directly (the
 * wrapper's own pip_url and executable are ignored):
 * <pre>
 *   config: {airbyte_spec: {image: airbyte/source-faker, tag: 6.2.0}, airbyte_config: {count: 100}}
 * </pre>
 * Without {@code container.runtime}, the runtime comes from {@code $TAPLINE_CONTAINER_RUNTIME}
 * (split on blanks, e.g. {@code podman --storage-driver vfs}), else {@code docker}.
 */
final class AirbyteSettings {
    static final String RUNTIME_ENV = "TAPLINE_CONTAINER_RUNTIME";

    private AirbyteSettings() {}

    /** Whether the config is tap-airbyte's ({@code airbyte_spec} present). */
    static boolean isTapAirbyte(JsonNode config) {
        return config.path("airbyte_spec").isObject();
    }

    /** The connector config: tap-airbyte's {@code airbyte_config}, else the config as it is. */
    static ObjectNode connectorConfig(ObjectNode config) {
        if (isTapAirbyte(config)) {
            return config.path("airbyte_config") instanceof ObjectNode c ? c.deepCopy() : config.objectNode();
        }
        return config;
    }

    /** The container to run, if the plugin names an image (directly or through {@code airbyte_spec}). */
    static Optional<ContainerImage> launcher(Optional<JsonNode> imageExtra, Optional<JsonNode> container,
            JsonNode config, Map<String, String> env, Path file, String name) {
        Optional<String> image = imageExtra.flatMap(i -> text(i));
        if (isTapAirbyte(config)) {
            JsonNode spec = config.path("airbyte_spec");
            String img = text(spec.path("image")).orElseThrow(() -> new ConfigException(ErrorCode.PROJECT_FILE_INVALID,
                    file + ": plugin '" + name + "': airbyte_spec has no image"));
            image = Optional.of(img + ":" + text(spec.path("tag")).orElse("latest"));
        }
        if (image.isEmpty()) {
            return Optional.empty();
        }
        JsonNode c = container.orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        ContainerImage.Builder b = ContainerImage.image(image.get());
        List<String> runtime = strings(c.path("runtime"));
        if (runtime.isEmpty() && env.getOrDefault(RUNTIME_ENV, "").isBlank()) {
            runtime = List.of("docker");
        } else if (runtime.isEmpty()) {
            runtime = Arrays.asList(env.get(RUNTIME_ENV).trim().split("\\s+"));
        }
        b.runtime(runtime); // values come expanded from the settings model
        text(c.path("network")).ifPresent(b::network);
        text(c.path("memory")).ifPresent(b::memory);
        text(c.path("cpus")).ifPresent(b::cpus);
        text(c.path("user")).ifPresent(b::user);
        b.runArgs(strings(c.path("run_args")));
        return Optional.of(b.build());
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static Optional<String> text(JsonNode n) {
        return n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? Optional.empty() : Optional.of(n.asText());
    }
}
