package io.tapline.internal.runner.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one reader of the project file: {@code meltano.yml} with the files its {@code include_paths} globs name merged in, as Meltano
 * merges them: mappings key by key, lists extended, other values replaced.
 */
public final class ProjectTree {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ProjectTree() {}

    public static ObjectNode read(Path file) {
        ObjectNode root = readOne(file);
        Path dir = file.getParent();
        for (JsonNode glob : root.path("include_paths")) {
            for (Path sub : matches(dir, glob.asText())) {
                deepMerge(root, readOne(sub));
            }
        }
        return root;
    }

    private static List<Path> matches(Path dir, String glob) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.replaceFirst("^\\./", ""));
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(dir.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigException("cannot list include_paths '" + glob + "' under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode readOne(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "cannot read project file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "project file " + file + " is not a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw YamlErrors.syntax(file, text, e); // never e.getMessage(): it quotes the file
        }
    }

    /** Meltano's {@code deep_merge}: {@code child} into {@code parent}, lists extended. */
    public static ObjectNode deepMerge(ObjectNode parent, JsonNode child) {
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(child.properties())) {
            JsonNode mine = parent.get(e.getKey());
            JsonNode theirs = e.getValue();
            if (mine instanceof ObjectNode m && theirs.isObject()) {
                deepMerge(m, theirs);
            } else if (mine instanceof ArrayNode a && theirs.isArray()) {
                a.addAll((ArrayNode) theirs.deepCopy());
            } else {
                parent.set(e.getKey(), theirs.deepCopy());
            }
        }
        return parent;
    }
}
