package io.tapline.internal.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.internal.protocol.catalog.CatalogSelection;
import io.tapline.internal.protocol.catalog.SelectionType;
import io.tapline.internal.runner.project.MeltanoYmlEditor;
import io.tapline.internal.runner.project.PluginConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tapline select}: Meltano's {@code meltano select}. With {@code --list} it discovers the
 * extractor's catalog, applies the project's rules and shows what a run would extract; otherwise it
 * adds ({@code --exclude}: a {@code !} pattern), removes ({@code --rm}) or clears the extractor's
 * {@code select} patterns in {@code meltano.yml}.
 */
@Command(name = "select", description = "List or change which streams and properties an extractor extracts.")
final class SelectCommand implements Callable<Integer> {
    private static final int MARK_WIDTH = "unsupported".length();

    @ParentCommand Main main;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXTRACTOR", description = "extractor name") String extractor;
    @Parameters(index = "1", arity = "0..1", paramLabel = "ENTITIES_FILTER", defaultValue = "*",
            description = "stream pattern to add or remove (glob, default ${DEFAULT-VALUE})")
    String entities;
    @Parameters(index = "2", arity = "0..1", paramLabel = "ATTRIBUTES_FILTER", defaultValue = "*",
            description = "property pattern to add or remove (glob, default ${DEFAULT-VALUE})")
    String attributes;

    @Option(names = "--list", description = "list the selected properties") boolean list;
    @Option(names = "--all", description = "with --list: also the properties that are not selected") boolean all;
    @Option(names = "--json", description = "list as JSON") boolean json;
    @Option(names = "--exclude", description = "add an exclusion (!) pattern") boolean exclude;
    @Option(names = {"--rm", "--remove"}, description = "remove the pattern") boolean remove;
    @Option(names = "--clear", description = "remove every pattern (back to the default *.*)") boolean clear;
    @Option(names = "--refresh-catalog", description = "discover again instead of using the cached catalog")
    boolean refreshCatalog;

    @Override
    public Integer call() throws Exception {
        ProjectSession project = main.openProject().refreshCatalog(refreshCatalog);
        PluginConfig plugin = project.config().plugin(PluginType.EXTRACTORS, extractor);
        if (list || json) {
            show(project, plugin);
        } else if (clear) {
            MeltanoYmlEditor.setList(project.config().file(), PluginType.EXTRACTORS, extractor, "select", Optional.empty());
        } else {
            update(project, plugin);
        }
        return 0;
    }

    /** The patterns the file holds now: an absent {@code select} means none (the run's default is *.*). */
    private static List<String> written(PluginConfig plugin) {
        return plugin.select().equals(List.of("*.*")) ? new ArrayList<>() : new ArrayList<>(plugin.select());
    }

    private void update(ProjectSession project, PluginConfig plugin) {
        String pattern = (exclude ? "!" : "") + entities + "." + attributes;
        List<String> patterns = written(plugin);
        if (plugin.select().equals(List.of("*.*")) && remove && pattern.equals("*.*")) {
            patterns = new ArrayList<>(List.of("*.*")); // the file may spell out the default
        }
        if (remove) {
            if (!patterns.remove(pattern)) {
                throw new ConfigException("pattern '" + pattern + "' is not in the select of " + extractor + " in "
                        + project.config().file());
            }
        } else if (!patterns.contains(pattern)) {
            patterns.add(pattern);
        }
        MeltanoYmlEditor.setList(project.config().file(), PluginType.EXTRACTORS, extractor, "select",
                patterns.isEmpty() ? Optional.empty() : Optional.of(patterns));
    }

    private record Entry(String stream, String property, SelectionType selection) {}

    private void show(ProjectSession project, PluginConfig plugin) throws Exception {
        if (!plugin.has("discover") || !(plugin.has("catalog") || plugin.has("properties"))) {
            throw new ConfigException("Cannot list the selected attributes: " + extractor
                    + " does not declare the discover and catalog (or properties) capabilities");
        }
        List<Entry> entries = entries(project.catalog(extractor));
        PrintWriter out = spec.commandLine().getOut();
        List<Entry> shown = entries.stream().filter(e -> all || e.selection().isSelected()).toList();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode doc = mapper.createObjectNode();
            ArrayNode patterns = doc.putArray("enabled_patterns");
            plugin.select().forEach(patterns::add);
            ArrayNode streams = doc.putArray("streams");
            shown.forEach(e -> streams.addObject().put("stream", e.stream()).put("property", e.property())
                    .put("selection", e.selection().toString()));
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            return;
        }
        out.println("Legend:");
        for (SelectionType t : List.of(SelectionType.SELECTED, SelectionType.EXCLUDED, SelectionType.AUTOMATIC,
                SelectionType.UNSUPPORTED)) {
            out.println("\t" + t);
        }
        out.println();
        out.println("Enabled patterns:");
        plugin.select().forEach(p -> out.println("\t" + p));
        out.println();
        out.println("Selected attributes:");
        for (Entry e : shown) {
            out.printf("\t[%-" + MARK_WIDTH + "s] %s.%s%n", e.selection(), e.stream(), e.property());
        }
    }

    /** Every (stream, property) of the catalog with the property's selection seen through its stream's. */
    private static List<Entry> entries(ObjectNode catalog) {
        Map<String, Map<String, SelectionType>> byStream = new TreeMap<>();
        for (JsonNode stream : catalog.path("streams")) {
            String id = stream.path("tap_stream_id").asText(stream.path("stream").asText());
            SelectionType streamSelection = SelectionType.EXCLUDED;
            Map<String, SelectionType> props = new TreeMap<>();
            for (JsonNode entry : stream.path("metadata")) {
                JsonNode bc = entry.path("breadcrumb");
                if (!bc.isArray()) {
                    continue;
                }
                if (bc.isEmpty()) {
                    streamSelection = SelectionType.of(entry);
                } else {
                    List<String> parts = new ArrayList<>();
                    bc.forEach(b -> parts.add(b.asText()));
                    props.put(CatalogSelection.pathProperty(String.join(".", parts)), SelectionType.of(entry));
                }
            }
            SelectionType s = streamSelection;
            Map<String, SelectionType> combined = new TreeMap<>();
            props.forEach((k, v) -> combined.put(k, s.plus(v)));
            byStream.put(id, combined);
        }
        List<Entry> out = new ArrayList<>();
        byStream.forEach((stream, props) -> props.forEach((prop, sel) -> out.add(new Entry(stream, prop, sel))));
        return out;
    }
}
