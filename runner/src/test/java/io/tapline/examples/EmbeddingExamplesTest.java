package io.tapline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tapline.Pipeline;
import io.tapline.RunResult;
import io.tapline.StateStores;
import io.tapline.Tap;
import io.tapline.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The documentation's code examples are the compiled ones in {@link EmbeddingExamples}, and they work. */
@Timeout(120)
class EmbeddingExamplesTest {
    private static final Path RUNNER = Path.of("").toAbsolutePath();
    private static final Path REPO = RUNNER.getParent();
    private static final Pattern MARKER = Pattern.compile("snippet: ([a-z0-9-]+)");

    @TempDir Path dir;

    @Test
    void theJavadocExampleLoadsATinyShellTapIntoDuckDbAndResumesFromItsState() throws Exception {
        List<String> names = List.of("ada", "bo", "cy");
        Path tap = shellTap(names);

        RunResult first = EmbeddingExamples.runATapIntoDuckDb(tap, JsonNodeFactory.instance.objectNode(), dir);

        assertThat(first.rowsWritten()).isEqualTo(names.size());
        assertThat(query("select name from raw.people order by id")).isEqualTo(names);
        assertThat(first.finalState()).isPresent();
        // the same example again: the stored state reaches the tap as --state, and the upsert keeps one row per id
        RunResult second = EmbeddingExamples.runATapIntoDuckDb(tap, JsonNodeFactory.instance.objectNode(), dir);
        assertThat(Files.readString(dir.resolve("state-seen")).replace(" ", "")).contains("\"at\":" + names.size());
        assertThat(second.rowsWritten()).isEqualTo(names.size());
        assertThat(query("select name from raw.people order by id")).isEqualTo(names);
    }

    @Test
    void theExecutorExampleReturnsTheRunsResult() throws Exception {
        Path tap = shellTap(List.of("ada"));
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("tap-jsonl").command(tap).config(JsonNodeFactory.instance.objectNode()).build())
                .target(Targets.jsonl(dir.resolve("out")))
                .stateStore(StateStores.file(dir.resolve("state")))
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Optional<RunResult> done = EmbeddingExamples.runOnYourExecutor(pipeline, executor);
            assertThat(done).hasValueSatisfying(r -> assertThat(r.rowsWritten()).isEqualTo(1));
        } finally {
            executor.shutdownNow();
        }
        assertThat(Files.readAllLines(dir.resolve("out/people.jsonl"))).hasSize(1);
    }

    @Test
    void everyCodeExampleInTheApiJavadocAndTheReadmeIsACopyOfACompiledSnippet() throws IOException {
        Map<String, List<String>> compiled = snippets(Files.readAllLines(
                RUNNER.resolve("src/test/java/io/tapline/examples/EmbeddingExamples.java")));
        assertThat(compiled).containsKeys("run-a-tap-into-duckdb", "run-on-your-executor", "airbyte-source",
                "from-a-project-file");

        List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
        for (Path api : List.of(RUNNER.resolve("src/main/java/io/tapline"),
                REPO.resolve("protocol/src/main/java/io/tapline/spi"))) {
            try (Stream<Path> files = Files.list(api)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(docs::add);
            }
        }
        int copies = 0;
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            boolean markdown = doc.toString().endsWith(".md");
            for (int i = 0; i < lines.size(); i++) {
                boolean opens = markdown ? lines.get(i).startsWith("```java") : lines.get(i).contains("<pre>{@code");
                if (!opens) {
                    continue;
                }
                String name = markerAbove(lines, i).orElseThrow(() -> new AssertionError(
                        "an uncompiled code example in " + REPO.relativize(doc) + " (mark it 'snippet: <name>')"));
                List<String> copy = new ArrayList<>();
                int j = i + 1;
                for (; !(markdown ? lines.get(j).startsWith("```") : lines.get(j).contains("}</pre>")); j++) {
                    copy.add(markdown ? lines.get(j) : lines.get(j).replaceFirst("^\\s*\\* ?", ""));
                }
                assertThat(dedent(copy)).as("snippet %s in %s", name, REPO.relativize(doc))
                        .isEqualTo(compiled.get(name));
                copies++;
                i = j;
            }
        }
        assertThat(copies).as("snippet copies found").isGreaterThanOrEqualTo(5);
    }

    /** The marker names the code block below it: on the line above, or two above after a sentence ending in ':'. */
    private static Optional<String> markerAbove(List<String> lines, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 3); k--) {
            Matcher m = MARKER.matcher(lines.get(k));
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private static Map<String, List<String>> snippets(List<String> source) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < source.size(); i++) {
            String line = source.get(i).strip();
            if (line.startsWith("// snippet ")) {
                List<String> body = new ArrayList<>();
                for (int j = i + 1; !source.get(j).strip().equals("// end snippet"); j++) {
                    body.add(source.get(j));
                }
                out.put(line.substring("// snippet ".length()), dedent(body));
            }
        }
        return out;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }

    /** A Singer tap in three lines of shell per record; it writes down the --state it was given. */
    private Path shellTap(List<String> names) throws IOException {
        StringBuilder script = new StringBuilder("#!/usr/bin/env bash\n")
                .append("while [ $# -gt 0 ]; do if [ \"$1\" = --state ]; then cat \"$2\" > '")
                .append(dir.resolve("state-seen")).append("'; fi; shift; done\n")
                .append("echo '{\"type\":\"SCHEMA\",\"stream\":\"people\",\"schema\":{\"properties\":")
                .append("{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}},\"key_properties\":[\"id\"]}'\n");
        for (int i = 0; i < names.size(); i++) {
            script.append("echo '{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":").append(i + 1)
                    .append(",\"name\":\"").append(names.get(i)).append("\"}}'\n");
        }
        script.append("echo '{\"type\":\"STATE\",\"value\":{\"at\": ").append(names.size()).append("}}'\n");
        Path tap = dir.resolve("tap.sh");
        Files.writeString(tap, script);
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwx------"));
        return tap;
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
