package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Pipeline;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.internal.targets.duckdb.DuckDbTargetConfig;
import io.tapline.it.support.Duck;
import io.tapline.it.support.MotoServer;
import io.tapline.it.support.TestEnv;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * State handed between tapline and Meltano 4 ({@code meltano[s3]} from PyPI) through one S3 bucket in both
 * directions: tapline runs a pipeline, Meltano reads its state and sets an older one, tapline's next run resumes
 * from Meltano's state, Meltano reads tapline's new state.
 */
class MeltanoS3HandOverIT {
    static final String MELTANO = "meltano[s3]==4.4.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_ID = "dev:tap-counting-to-target-duckdb";
    private static MotoServer moto;
    private static Path meltano;

    @TempDir Path dir;

    @BeforeAll
    static void install() throws Exception {
        meltano = new VirtualEnvs(TestEnv.venvCache()).install("meltano-s3", MELTANO, "python3", false).resolve("bin/meltano");
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void meltanoAndTaplineHandStateToEachOtherThroughTheSameBucket() throws Exception {
        String bucket = "handover";
        moto.createBucket(bucket);
        URI uri = URI.create("s3://" + bucket + "/meltano/state");
        Map<String, String> settings = Map.of("s3.endpoint_url", moto.endpoint().toString(),
                "s3.aws_access_key_id", MotoServer.ACCESS_KEY, "s3.aws_secret_access_key", MotoServer.SECRET_KEY);
        Path project = meltanoProject(uri);
        Path warehouse = dir.resolve("warehouse.duckdb");

        try (StateBackend backend = open(uri, settings)) {
            RunResult first = pipeline(backend, warehouse, 5).run();
            assertThat(first.rowsWritten()).isEqualTo(5);
        }
        assertThat(meltanoState(project)).isEqualTo(JSON.readTree("{\"bookmarks\":{\"items\":{\"last_id\":5}}}"));

        meltano(project, "state", "set", "--force", STATE_ID,
                "{\"singer_state\": {\"bookmarks\": {\"items\": {\"last_id\": 2}}}}");

        try (StateBackend backend = open(uri, settings)) {
            RunResult resumed = pipeline(backend, warehouse, 7).run();
            assertThat(resumed.rowsWritten()).as("ids 3..7, from Meltano's bookmark").isEqualTo(5);
        }
        assertThat(Duck.count(warehouse, "raw.items")).isEqualTo(7);
        assertThat(meltanoState(project)).isEqualTo(JSON.readTree("{\"bookmarks\":{\"items\":{\"last_id\":7}}}"));
    }

    private Pipeline pipeline(StateBackend backend, Path warehouse, int lastId) {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        DuckDbTargetConfig target = DuckDbTarget.file(warehouse).schema("raw").build();
        return Pipeline.builder()
                .tap(Tap.singer("tap-counting").command(tap).environment(Map.of("LAST_ID", Integer.toString(lastId),
                        "KEY_PROPERTIES", "[\"id\"]")).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(backend)
                .stateId(STATE_ID)
                .build();
    }

    private StateBackend open(URI uri, Map<String, String> settings) {
        StateBackendProvider provider = ServiceLoader.load(StateBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.schemes().contains("s3")).findFirst().orElseThrow();
        return provider.open(new StateBackendConfig(uri, settings, Map.of(), dir, StateBackendConfig.Lease.DEFAULT));
    }

    private Path meltanoProject(URI uri) throws Exception {
        Path p = Files.createDirectories(dir.resolve("meltano-project"));
        Files.writeString(p.resolve("meltano.yml"), """
                default_environment: dev
                project_id: tapline-handover
                environments:
                  - name: dev
                state_backend:
                  uri: %s
                """.formatted(uri));
        return p;
    }

    private JsonNode meltanoState(Path project) throws Exception {
        String out = meltano(project, "state", "get", STATE_ID);
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no state in: " + out));
        JsonNode state = JSON.readTree(json);
        return state.path("singer_state");
    }

    private static String meltano(Path project, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(meltano.toString()));
        argv.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(Map.of("MELTANO_SEND_ANONYMOUS_USAGE_STATS", "false",
                "MELTANO_DISABLE_TRACKING", "true", "NO_COLOR", "1",
                "AWS_DEFAULT_REGION", "us-east-1", "MELTANO_STATE_BACKEND_S3_ENDPOINT_URL", moto.endpoint().toString()));
        // Meltano 4.4.1 passes its endpoint_url to boto3 only with keys from its own settings, not from AWS_* variables
        env.put("MELTANO_STATE_BACKEND_S3_AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
        env.put("MELTANO_STATE_BACKEND_S3_AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        ProcessResult r = new ProcessExecutor().command(argv).directory(project.toFile()).environment(env)
                .redirectErrorStream(true).readOutput(true).exitValueAny().timeout(5, TimeUnit.MINUTES).execute();
        assertThat(r.getExitValue()).as("meltano %s:%n%s", String.join(" ", args), r.outputUTF8()).isZero();
        return r.outputUTF8();
    }
}
