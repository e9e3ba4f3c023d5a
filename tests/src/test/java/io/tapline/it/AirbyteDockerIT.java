package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.it.support.Duck;
import io.tapline.it.support.PodmanImages;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.StreamName;
import io.tapline.internal.runner.cli.Main;
import io.tapline.internal.runner.process.VirtualEnvs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker path run for real: {@code airbyte-source-faker} from PyPI in a locally built image,
 * started by tapline's DockerLauncher through podman ({@code podman run --rm -i} with the private
 * folder mounted at /config), into DuckDB; configured both with tapline's {@code image:} key and with
 * tap-airbyte's {@code airbyte_spec}/{@code airbyte_config}.
 */
class AirbyteDockerIT {
    private static final String FAKER = "airbyte-source-faker==7.2.1";
    private static final int COUNT = 20;

    @TempDir static Path shared;
    @TempDir Path dir;

    private static PodmanImages podman;
    private static String image;
    private static List<String> mounts;

    @BeforeAll
    @Timeout(900)
    static void buildImage() throws Exception {
        podman = PodmanImages.setUp(shared);
        Path venv = new VirtualEnvs(TestEnv.venvCache()).install("source-faker", FAKER, "python3", false);
        image = "localhost/tapline-it-source-faker:" + Integer.toHexString(venv.toString().hashCode());
        podman.importImage(image, venv.resolve("bin/source-faker").toString(), shared);
        mounts = PodmanImages.mounts(venv);
    }

    @Test
    @Timeout(600)
    void imageKeyRunsTheConnectorInAContainerIntoDuckDbAndResumes() throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: source-faker
                      protocol: airbyte
                      image: %s
                      container:
                        runtime: [%s]
                        network: none
                        memory: 1g
                        cpus: 1
                        run_args: [%s]
                      config: {count: %d, seed: 42, parallelism: 1, always_updated: false}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                      config: {filepath: warehouse.duckdb, default_target_schema: raw}
                """.formatted(image, yamlList(podman.runtime()), yamlList(mounts), COUNT));
        Project project = Project.open(dir, TestEnv.projectEnv());
        Path db = dir.resolve("warehouse.duckdb");

        RunResult first = project.pipeline("source-faker", "target-duckdb", RunOptions.defaults()).run();

        assertThat(Duck.query(db, "SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi "
                + "FROM raw.users").get(0)).containsEntry("n", (long) COUNT).containsEntry("ids", (long) COUNT)
                .containsEntry("lo", 1L).containsEntry("hi", (long) COUNT);
        assertThat(first.rowsPerStream()).containsEntry(StreamName.of("users"), (long) COUNT)
                .containsEntry(StreamName.of("purchases"), (long) COUNT);
        assertThat(Duck.count(db, "raw.purchases")).isEqualTo(COUNT);

        // the state went back into the container as /config/state.json: nothing new to read
        RunResult second = project.pipeline("source-faker", "target-duckdb", RunOptions.defaults()).run();
        assertThat(second.rowsWritten()).isZero();
        assertThat(Duck.count(db, "raw.users")).isEqualTo(COUNT);
    }

    @Test
    @Timeout(600)
    void tapAirbyteShapeRunsNativelyAndTheAirbyteCliCommandsWork() throws Exception {
        String repo = image.substring(0, image.lastIndexOf(':'));
        String tag = image.substring(image.lastIndexOf(':') + 1);
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: tap-airbyte-faker
                      inherit_from: tap-airbyte
                      variant: meltanolabs
                      pip_url: git+https://github.com/MeltanoLabs/tap-airbyte-wrapper.git
                      executable: tap-airbyte
                      container:
                        runtime: [%s]
                        network: none
                        run_args: [%s]
                      config:
                        airbyte_spec: {image: %s, tag: "%s"}
                        airbyte_config: {count: %d, seed: 7, parallelism: 1}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                      config: {filepath: warehouse.duckdb, default_target_schema: raw}
                """.formatted(yamlList(podman.runtime()), yamlList(mounts), repo, tag, COUNT));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int spec = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "--project", dir.toString(), "airbyte", "spec", "tap-airbyte-faker");
        assertThat(spec).as(err.toString()).isZero();
        assertThat(out.toString()).contains("connectionSpecification").contains("\"count\"");

        out.getBuffer().setLength(0);
        int check = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "--project", dir.toString(), "airbyte", "check", "tap-airbyte-faker");
        assertThat(check).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("SUCCEEDED");

        out.getBuffer().setLength(0);
        int discover = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "--project", dir.toString(), "airbyte", "discover", "tap-airbyte-faker");
        assertThat(discover).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"users\"").contains("\"purchases\"").contains("\"products\"");

        int run = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "--project", dir.toString(), "run", "tap-airbyte-faker", "target-duckdb");
        assertThat(run).as(err.toString()).isZero();
        assertThat(Duck.count(dir.resolve("warehouse.duckdb"), "raw.users")).isEqualTo(COUNT);
    }

    private static String yamlList(List<String> items) {
        return items.stream().map(s -> "\"" + s.replace("\"", "\\\"") + "\"").collect(Collectors.joining(", "));
    }
}
