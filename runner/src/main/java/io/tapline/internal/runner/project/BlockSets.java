package io.tapline.internal.runner.project;

import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Meltano's block parsing for {@code run}: the blocks split into extract-load sets, each an extractor,
 * any mappers, then a loader ({@code run tap-a target-x tap-b map-y target-z} is two sets, run in order).
 */
public final class BlockSets {
    /** One {@code extractor [mapper...] loader} set. */
    public record BlockSet(String extractor, List<String> mappers, String loader) {
        public BlockSet {
            mappers = List.copyOf(mappers);
        }
    }

    private BlockSets() {}

    public static List<BlockSet> parse(ProjectConfig project, List<String> blocks) {
        List<BlockSet> sets = new ArrayList<>();
        String extractor = null;
        List<String> mappers = new ArrayList<>();
        for (String block : blocks) {
            PluginType type = typeOf(project, block, extractor == null ? "extractor" : "loader or mapper");
            switch (type) {
                case EXTRACTORS -> {
                    if (extractor != null) {
                        throw new ConfigException("block '" + extractor + "' is followed by extractor '" + block
                                + "' before any loader: each extractor needs a loader after it");
                    }
                    extractor = block;
                }
                case MAPPERS -> {
                    if (extractor == null) {
                        throw new ConfigException("mapper '" + block + "' must come after an extractor");
                    }
                    mappers.add(block);
                }
                case LOADERS -> {
                    if (extractor == null) {
                        throw new ConfigException("loader '" + block + "' must come after an extractor");
                    }
                    sets.add(new BlockSet(extractor, mappers, block));
                    extractor = null;
                    mappers = new ArrayList<>();
                }
            }
        }
        if (extractor != null) {
            throw new ConfigException("extractor '" + extractor + "' has no loader after it");
        }
        if (sets.isEmpty()) {
            throw new ConfigException("nothing to run: name an extractor and a loader, or a job");
        }
        return sets;
    }

    /** The block's plugin type; an unknown name is reported as the kind of block expected there. */
    private static PluginType typeOf(ProjectConfig project, String name, String expected) {
        // A run names a mapper's mappings (as in Meltano), which are not plugins themselves.
        boolean mapping = project.plugins(PluginType.MAPPERS).stream()
                .anyMatch(p -> p.mappings().stream().anyMatch(m -> m.name().equals(name)));
        if (mapping) {
            return PluginType.MAPPERS;
        }
        return project.plugins().stream().filter(p -> p.name().equals(name)).map(PluginConfig::type).findFirst()
                .orElseThrow(() -> new ConfigException(ErrorCode.PLUGIN_UNKNOWN, expected + " '" + name
                        + "' is not defined in " + project.file() + " (nor is a job of that name)"
                        + project.suggestion(name, java.util.Optional.empty())));
    }
}
