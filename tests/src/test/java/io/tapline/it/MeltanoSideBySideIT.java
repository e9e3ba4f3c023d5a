package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginDefinition;
import io.tapline.internal.catalog.PluginType;
import io.tapline.it.support.TestEnv;
import io.tapline.internal.runner.cli.Main;
import io.tapline.internal.runner.process.VirtualEnvs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * The same meltano.yml run by the real Meltano (from PyPI) and by tapline: the same rows land in
 * the same target files, and each continues incrementally from the state the other wrote. Meltano's
 * {@code state_backend} is a {@code file://} URI pointing at tapline's state folder: both use
 * {@code <root>/<state_id>/state.json} with {@code completed}/{@code partial} singer_state, so no
 * {@code meltano state get/set} hand-over is needed.
 *
 * <p>The plugins are the ones tapline installs (tap-jsonl, meltano-map-transform, target-jsonl from
 * PyPI, in the shared venv cache); the meltano.yml names their executables without a pip_url so
 * both tools run the very same binaries and Meltano needs no Hub lookup or install.
 */
class MeltanoSideBySideIT {
    static final String MELTANO = "meltano==3.7.9";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.HOURS);

    private static Path meltano;
    private static Path tapJsonl;
    private static Path tapJsonfile;
    private static Path targetJsonl;
    private static Path mapTransform;

    @TempDir Path dir;

    @BeforeAll
    static void install() {
        VirtualEnvs venvs = new VirtualEnvs(TestEnv.venvCache());
        meltano = venvs.install("meltano", MELTANO, "python3", false).resolve("bin/meltano");
        tapJsonl = installed(venvs, PluginType.EXTRACTORS, "tap-jsonl", Optional.empty());
        tapJsonfile = installed(venvs, PluginType.EXTRACTORS, "tap-jsonfile", Optional.empty());
        targetJsonl = installed(venvs, PluginType.LOADERS, "target-jsonl", Optional.of("andyh1203"));
        mapTransform = installed(venvs, PluginType.MAPPERS, "meltano-map-transformer", Optional.empty());
    }

    @Test
    void meltanoAndTaplineLandTheSameRowsInTheSameFilesThroughTheSameMapping() throws Exception {
        Path viaMeltano = project(dir.resolve("meltano"));
        Path viaTapline = project(dir.resolve("tapline"));

        meltano(viaMeltano, "run", "tap-jsonl", "hide-emails", "target-jsonl");
        tapline(viaTapline, "run", "tap-jsonl", "hide-emails", "target-jsonl");

        assertThat(files(viaTapline.resolve("out"))).isEqualTo(files(viaMeltano.resolve("out"))).containsExactly("users.jsonl");
        List<JsonNode> meltanoRows = rows(viaMeltano.resolve("out/users.jsonl"));
        assertThat(meltanoRows).hasSize(3).allSatisfy(r -> assertThat(r.has("email")).isFalse());
        assertThat(rows(viaTapline.resolve("out/users.jsonl"))).isEqualTo(meltanoRows);
        // both stored the same state under the same state id, in the same layout (bookmarks name each project's files)
        assertThat(state(viaTapline).toString().replace(viaTapline.toString(), "<project>"))
                .isEqualTo(state(viaMeltano).toString().replace(viaMeltano.toString(), "<project>"));
    }

    @Test
    void eachContinuesIncrementallyFromTheStateTheOtherWrote() throws Exception {
        Path p = project(dir.resolve("p"));

        // tap-jsonfile is incremental: its state holds a hash per file read, and it skips those files
        // (tap-jsonl 0.3.1 rereads every file under Meltano too, so it cannot show a hand-over)
        meltano(p, "run", "tap-jsonfile", "target-jsonl");
        assertThat(rows(p.resolve("out/users.jsonl"))).extracting(r -> r.get("id").asInt()).containsExactly(1, 2, 3);

        data(p, "users-2.jsonl", 1, "{\"id\": 4, \"name\": \"Dee\", \"email\": \"dee@example.com\"}");
        tapline(p, "run", "tap-jsonfile", "target-jsonl");
        // tapline read only the new file: the state Meltano wrote was handed to the tap
        assertThat(rows(p.resolve("out/users.jsonl"))).extracting(r -> r.get("id").asInt()).containsExactly(1, 2, 3, 4);

        data(p, "users-3.jsonl", 2, "{\"id\": 5, \"name\": \"Eve\", \"email\": null}");
        meltano(p, "run", "tap-jsonfile", "target-jsonl");
        // Meltano read only the newest file: it took the state tapline wrote
        assertThat(rows(p.resolve("out/users.jsonl"))).extracting(r -> r.get("id").asInt())
                .containsExactly(1, 2, 3, 4, 5);

        JsonNode hashes = state(p, "dev:tap-jsonfile-to-target-jsonl").path("completed").path("singer_state")
                .path("bookmarks").path("users").path("file_hashes");
        assertThat(hashes).hasSize(3);
    }

    private Path project(Path p) throws Exception {
        Files.createDirectories(p.resolve("out"));
        data(p, "users.jsonl", 0,
                "{\"id\": 1, \"name\": \"Ada\", \"email\": \"ada@example.com\"}",
                "{\"id\": 2, \"name\": \"Bob\", \"email\": \"bob@example.com\"}",
                "{\"id\": 3, \"name\": \"Zoë\", \"email\": null}");
        Files.writeString(p.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                project_id: tapline-side-by-side
                send_anonymous_usage_stats: false
                environments:
                  - name: dev
                state_backend:
                  uri: file://%s
                plugins:
                  extractors:
                    - name: tap-jsonl
                      namespace: tap_jsonl
                      executable: %s
                      capabilities: [catalog, discover, state]
                      settings:
                        - name: path
                        - name: stream_name
                      config: {path: data/*.jsonl, stream_name: users}
                    - name: tap-jsonfile
                      namespace: tap_jsonfile
                      executable: %s
                      capabilities: [catalog, discover, state]
                      settings:
                        - name: paths
                          kind: array
                        - name: stream_name
                      config: {paths: [data/*.jsonl], stream_name: users}
                  mappers:
                    - name: meltano-map-transformer
                      namespace: meltano_map_transformer
                      executable: %s
                      settings:
                        - name: stream_maps
                          kind: object
                      mappings:
                        - name: hide-emails
                          config:
                            stream_maps:
                              users:
                                email: __NULL__
                                name_upper: name.upper()
                  loaders:
                    - name: target-jsonl
                      namespace: target_jsonl
                      executable: %s
                      settings:
                        - name: destination_path
                        - name: do_timestamp_file
                          kind: boolean
                      config: {destination_path: out, do_timestamp_file: false}
                """.formatted(p.resolve(".tapline/state"), tapJsonl, tapJsonfile, mapTransform, targetJsonl));
        return p;
    }

    /** A data file whose mtime (tap-jsonl's replication key) is {@code hours} after T0, the same in every project. */
    private static void data(Path p, String name, int hours, String... lines) throws Exception {
        Path file = p.resolve("data").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines));
        Files.setLastModifiedTime(file, FileTime.from(T0.plus(hours, ChronoUnit.HOURS)));
    }

    private static void meltano(Path project, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(meltano.toString()));
        argv.addAll(List.of(args));
        ProcessResult r = new ProcessExecutor().command(argv).directory(project.toFile())
                .environment(Map.of("MELTANO_SEND_ANONYMOUS_USAGE_STATS", "false", "MELTANO_DISABLE_TRACKING", "true",
                        "NO_COLOR", "1"))
                .redirectErrorStream(true).readOutput(true).exitValueAny().timeout(10, TimeUnit.MINUTES).execute();
        assertThat(r.getExitValue()).as("meltano %s:%n%s", String.join(" ", args), r.outputUTF8()).isZero();
    }

    private static void tapline(Path project, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of("-p", project.toString()));
        argv.addAll(List.of(args));
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), argv.toArray(String[]::new));
        assertThat(exit).as("tapline %s: %s", String.join(" ", args), err).isZero();
    }

    private static List<String> files(Path folder) throws Exception {
        try (var s = Files.list(folder)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<JsonNode> rows(Path file) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    private static ObjectNode state(Path project) throws Exception {
        return state(project, "dev:tap-jsonl-to-target-jsonl");
    }

    private static ObjectNode state(Path project, String stateId) throws Exception {
        return (ObjectNode) JSON.readTree(project.resolve(".tapline/state").resolve(stateId).resolve("state.json").toFile());
    }

    private static Path installed(VirtualEnvs venvs, PluginType type, String name, Optional<String> variant) {
        PluginDefinition d = PluginCatalog.bundled().find(type, name, variant).orElseThrow();
        return venvs.install(name, d.pipUrl().orElseThrow(), "python3", false).resolve("bin").resolve(d.executable().orElseThrow());
    }
}
