package io.tapline.internal.runner.project;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.SshRemote;
import io.tapline.SshTunnel;
import io.tapline.internal.catalog.PluginType;
import io.tapline.internal.protocol.catalog.MetadataRule;
import io.tapline.internal.protocol.catalog.SchemaRule;
import io.tapline.ContainerImage;
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
 * @param namespace Meltano's namespace (the default {@code _load_schema}, a prefix of its env vars)
 * @param settings every setting and extra with its value and source, and the env the plugin process gets
 * @param remote the {@code ssh:} block: run the extractor on another host
 * @param remoteVenv {@code ssh.venv}: the extractor's virtualenv on that host
 * @param tunnel the {@code ssh_tunnel:} block: reach the extractor's source through a bastion
 * @param runtime tapline's own run settings for the plugin (retries)
 * @param mappings a mapper's {@code mappings} (empty for other plugins)
 * @param image for an Airbyte source run from a container image: how to run it
 * @param extras an extractor's {@code catalog}, {@code use_cached_catalog} and {@code state} extras
 */
public record PluginConfig(PluginType type, String name, Optional<String> variant, Optional<String> pipUrl,
        String executable, Optional<String> python, ObjectNode config, List<String> select,
        List<MetadataRule> metadata, List<String> selectFilter, List<SchemaRule> schema, Set<String> capabilities,
        boolean builtin, boolean airbyte, String namespace, PluginSettings settings,
        Optional<SshRemote> remote, Optional<String> remoteVenv, Optional<SshTunnel> tunnel, PluginRuntime runtime,
        List<Mapping> mappings, Optional<ContainerImage> image, PluginExtras extras) {
    public PluginConfig {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(executable, "executable is null");
        requireNonNull(runtime, "runtime is null");
        config = config.deepCopy();
        select = List.copyOf(select);
        metadata = List.copyOf(metadata);
        selectFilter = List.copyOf(selectFilter);
        schema = List.copyOf(schema);
        capabilities = Set.copyOf(capabilities);
        mappings = List.copyOf(mappings);
        requireNonNull(image, "image is null");
        requireNonNull(extras, "extras is null");
    }

    /** What the plugin process gets on top of tapline's environment (Meltano's plugin env). */
    public java.util.Map<String, String> env() { return settings.env(); }

    /** This plugin with other {@code select} / {@code select_filter} extras. */
    public PluginConfig withSelection(List<String> newSelect, List<String> newSelectFilter) {
        return new PluginConfig(type, name, variant, pipUrl, executable, python, config, newSelect, metadata,
                newSelectFilter, schema, capabilities, builtin, airbyte, namespace, settings, remote, remoteVenv, tunnel,
                runtime, mappings, image, extras);
    }

    public boolean has(String capability) { return capabilities.contains(capability); }
}
