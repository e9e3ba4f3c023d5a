package io.tapline.internal.runner.project;

import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Edits one plugin's entry in {@code meltano.yml} on SnakeYAML's node tree (the parser under
 * Jackson's YAML module), so the rest of the file comes back as it was: comments, key order, quoting
 * and flow lists are kept. What is lost: indentation is normalised to two spaces with sequences
 * indented under their key, long lines may be re-wrapped, and anchors/aliases are written out expanded.
 */
public final class MeltanoYmlEditor {
    private MeltanoYmlEditor() {}

    /** Sets the plugin's {@code key} to a list of strings, or removes the key when {@code values} is empty. */
    public static void setList(Path file, PluginType type, String plugin, String key, Optional<List<String>> values) {
        MappingNode root = compose(file);
        MappingNode entry = pluginEntry(root, type, plugin, file);
        List<NodeTuple> tuples = entry.getValue();
        int at = indexOf(tuples, key);
        if (values.isEmpty()) {
            if (at >= 0) {
                tuples.remove(at);
            }
        } else {
            List<Node> items = new ArrayList<>();
            values.get().forEach(v -> items.add(new ScalarNode(Tag.STR, v, null, null, style(v))));
            DumperOptions.FlowStyle flow = at >= 0 && tuples.get(at).getValueNode() instanceof SequenceNode old
                    ? old.getFlowStyle() : DumperOptions.FlowStyle.BLOCK;
            // the old key node carries the comments written above the key
            Node keyNode = at >= 0 ? tuples.get(at).getKeyNode()
                    : new ScalarNode(Tag.STR, key, null, null, DumperOptions.ScalarStyle.PLAIN);
            NodeTuple tuple = new NodeTuple(keyNode, new SequenceNode(Tag.SEQ, items, flow));
            if (at >= 0) {
                tuples.set(at, tuple);
            } else {
                tuples.add(tuple);
            }
        }
        write(file, root);
    }

    /** Patterns such as {@code !users.*} or {@code *.*} need quotes in YAML. */
    private static DumperOptions.ScalarStyle style(String v) {
        return v.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]*") ? DumperOptions.ScalarStyle.PLAIN
                : DumperOptions.ScalarStyle.DOUBLE_QUOTED;
    }

    private static MappingNode compose(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setProcessComments(true);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node root = new Yaml(options).compose(in);
            if (!(root instanceof MappingNode m)) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "project file " + file + " is not a YAML mapping");
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read project file " + file, e);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            throw YamlErrors.syntax(file, readQuietly(file), e); // never e.getMessage(): it quotes the line
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "cannot parse project file " + file);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static MappingNode pluginEntry(MappingNode root, PluginType type, String plugin, Path file) {
        Node plugins = value(root, "plugins");
        Node list = plugins instanceof MappingNode m ? value(m, type.name().toLowerCase(Locale.ROOT)) : null;
        if (list instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof MappingNode p && value(p, "name") instanceof ScalarNode n && n.getValue().equals(plugin)) {
                    return p;
                }
            }
        }
        throw new ConfigException(ErrorCode.PLUGIN_UNKNOWN, type.singular() + " '" + plugin + "' is not defined in "
                + file + " (plugins defined in include_paths files cannot be edited yet)");
    }

    private static Node value(MappingNode map, String key) {
        int i = indexOf(map.getValue(), key);
        return i < 0 ? null : map.getValue().get(i).getValueNode();
    }

    private static int indexOf(List<NodeTuple> tuples, String key) {
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes a sibling temp file and renames it over the project file, so a failure leaves the old file. */
    private static void write(Path file, Node root) {
        DumperOptions options = new DumperOptions();
        options.setProcessComments(true);
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(root, out);
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".meltano-", ".yml.tmp");
            try {
                Files.writeString(tmp, out.toString());
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write project file " + file, e);
        }
    }
}
