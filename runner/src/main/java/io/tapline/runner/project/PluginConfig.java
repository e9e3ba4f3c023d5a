package io.tapline.runner.project;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.catalog.PluginType;
import io.tapline.protocol.catalog.MetadataRule;
import io.tapline.protocol.catalog.SchemaRule;
import io.tapline.runner.process.DockerLauncher;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One plugin of a project, after the bundled catalog filled what the project left out.
 *
 * @param metadata Meltano's {@code metadata} extra as catalog rules
 * @param selectFilter Meltano's {@code select_filter} extra
 * @param schema Meltano's {@code schema} extra as catalog rules
 * @param config the plugin's config with {@code $VAR} expanded and env-var overrides applied
 * @param builtin served by a tapline Java target rather than a process
 * @param airbyte an extractor that speaks the Airbyte protocol ({@code protocol: airbyte}, or tap-airbyte's
 *     {@code airbyte_spec}) rather than Singer
 * @param image for an Airbyte source run from a container image: how to run it
 */
public record PluginConfig(PluginType type, String name, Optional<String> variant, Optional<String> pipUrl,
        String executable, Optional<String> python, ObjectNode config, List<String> select,
        List<MetadataRule> metadata, List<String> selectFilter, List<SchemaRule> schema, Set<String> capabilities,
        boolean builtin, boolean airbyte, Optional<DockerLauncher> image) {
    public PluginConfig {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(executable, "executable is null");
        config = config.deepCopy();
        select = List.copyOf(select);
        metadata = List.copyOf(metadata);
        selectFilter = List.copyOf(selectFilter);
        schema = List.copyOf(schema);
        capabilities = Set.copyOf(capabilities);
        requireNonNull(image, "image is null");
    }

    public boolean has(String capability) { return capabilities.contains(capability); }
}
