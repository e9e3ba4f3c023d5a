package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.SingerPlugin;
import io.tapline.Tap;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.RunListener;
import io.tapline.internal.state.file.FileStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tap -> mappers -> external Singer target, all real processes (shell and Python scripts): states
 * the target prints are saved as they arrive, and a failure anywhere names the plugin and keeps
 * what the target confirmed.
 */
class ExternalTargetChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{\"properties\":"
            + "{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}},\"key_properties\":[\"id\"]}";

    /** A Singer target: appends each record's JSON to {@code <config.path>} and prints each state after a flush. */
    private static final String TARGET = """
            #!/usr/bin/env python3
            import json, os, sys
            config = json.load(open(sys.argv[sys.argv.index('--config') + 1]))
            fail_after = config.get('fail_after_states')
            states = 0
            with open(config['path'], 'a') as out:
                for line in sys.stdin:
                    m = json.loads(line)
                    if m['type'] == 'RECORD':
                        out.write(json.dumps(m['record']) + '\\n')
                    elif m['type'] == 'STATE':
                        out.flush(); os.fsync(out.fileno())
                        print(json.dumps(m['value']), flush=True)
                        states += 1
                        if fail_after is not None and states >= fail_after:
                            print('disk full', file=sys.stderr)
                            sys.exit(3)
            """;

    @TempDir Path dir;

    @Test
    void statesTheTargetConfirmsAreSavedAsTheyArriveAndRecordsPassThroughTheMapper() throws IOException {
        Path tap = script("tap.sh", "#!/usr/bin/env bash\ncat <<'EOF'\n" + SCHEMA + "\n"
                + record(1, "ada") + "\n" + record(2, "bob") + "\n" + state(1) + "\n" + record(3, "cy") + "\n"
                + state(2) + "\nEOF\n");
        Path mapper = script("upper.sh", "#!/usr/bin/env bash\nexec sed -u 's/\"ada\"/\"ADA\"/'\n");
        FileStateStore store = FileStateStore.at(dir.resolve("state"));
        List<String> saved = new ArrayList<>();

        RunResult result = pipeline(tap, List.of(mapper), store, targetConfig(null))
                .listener(new RunListener() {
                    @Override
                    public void stateCommitted(StateBlob state, long rows) { saved.add(state.json()); }
                }).build().run();

        assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).containsExactly(
                "{\"id\": 1, \"name\": \"ADA\"}", "{\"id\": 2, \"name\": \"bob\"}", "{\"id\": 3, \"name\": \"cy\"}");
        assertThat(saved).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(store.read("ext")).contains(new StateBlob("{\"n\":2}"));
        assertThat(result.finalState()).contains(new StateBlob("{\"n\":2}"));
    }

    @Test
    void theNextRunHandsTheSavedStateToTheTap() throws IOException {
        Path tap = script("tap.sh", "#!/usr/bin/env bash\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --state ]; then "
                + "cp \"$2\" '" + dir.resolve("seen-state.json") + "'; fi; shift; done\n"
                + "echo '" + SCHEMA + "'\necho '" + state(7) + "'\n");
        FileStateStore store = FileStateStore.at(dir.resolve("state"));
        store.save("ext", new StateBlob("{\"n\":6}"), io.tapline.spi.StateWriteMode.COMPLETE);

        pipeline(tap, List.of(), store, targetConfig(null)).build().run();

        assertThat(JSON.readTree(dir.resolve("seen-state.json").toFile())).isEqualTo(JSON.readTree("{\"n\":6}"));
        assertThat(store.read("ext")).contains(new StateBlob("{\"n\":7}"));
    }

    @Test
    void aFailingTargetStopsTheTapAndKeepsTheStateItConfirmed() throws IOException {
        // the tap would run for ten minutes: only being stopped ends it
        Path tap = script("tap.sh", "#!/usr/bin/env bash\necho '" + SCHEMA + "'\necho '" + record(1, "ada")
                + "'\necho '" + state(1) + "'\necho '" + record(2, "bob") + "'\necho '" + state(2) + "'\nexec sleep 600\n");
        FileStateStore store = FileStateStore.at(dir.resolve("state"));
        long start = System.nanoTime();

        assertThatThrownBy(() -> pipeline(tap, List.of(), store, targetConfig(1)).build().run())
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("plugin 'target-test' exited with code 3")
                .hasMessageContaining("disk full");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(store.read("ext")).contains(new StateBlob("{\"n\":1}"));
    }

    @Test
    void aFailingTapLetsTheTargetConfirmWhatItReceivedAndNamesTheTap() throws IOException {
        Path tap = script("tap.sh", "#!/usr/bin/env bash\necho '" + SCHEMA + "'\necho '" + record(1, "ada")
                + "'\necho '" + state(1) + "'\necho 'API quota exceeded' >&2\nexit 2\n");
        FileStateStore store = FileStateStore.at(dir.resolve("state"));

        assertThatThrownBy(() -> pipeline(tap, List.of(), store, targetConfig(null)).build().run())
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("plugin 'tap-test' exited with code 2")
                .hasMessageContaining("API quota exceeded");

        assertThat(store.read("ext")).contains(new StateBlob("{\"n\":1}"));
        assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(1);
    }

    @Test
    void aMapperThatDiesIsBlamedRatherThanTheTapWhoseOutputItStoppedReading() throws IOException {
        // the tap writes far more than a pipe buffer holds: it dies of the broken pipe after the mapper exits
        Path tap = script("tap.sh", "#!/usr/bin/env bash\necho '" + SCHEMA + "'\n"
                + "for i in $(seq 1 200000); do echo '" + record(1, "ada") + "'; done\n");
        Path mapper = script("dying-mapper.sh", "#!/usr/bin/env bash\nhead -n 1\necho 'bad stream map' >&2\nexit 5\n");
        FileStateStore store = FileStateStore.at(dir.resolve("state"));

        assertThatThrownBy(() -> pipeline(tap, List.of(mapper), store, targetConfig(null)).build().run())
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("plugin 'mapper-0' exited with code 5")
                .hasMessageContaining("bad stream map");
        assertThat(store.read("ext")).isEmpty();
    }

    @Test
    void manyRecordsStreamThroughTwoMappersWithoutDeadlock() throws IOException {
        int n = 100_000;
        Path tap = script("tap.sh", "#!/usr/bin/env bash\necho '" + SCHEMA + "'\n"
                + "python3 -c \"import sys\nfor i in range(" + n + "): sys.stdout.write('{\\\"type\\\":\\\"RECORD\\\","
                + "\\\"stream\\\":\\\"users\\\",\\\"record\\\":{\\\"id\\\":%d,\\\"name\\\":\\\"x\\\"}}\\n' % i)\"\n"
                + "echo '" + state(n) + "'\n");
        Path cat = script("cat.sh", "#!/usr/bin/env bash\nexec cat\n");
        FileStateStore store = FileStateStore.at(dir.resolve("state"));

        pipeline(tap, List.of(cat, cat), store, targetConfig(null)).build().run();

        try (var lines = Files.lines(dir.resolve("out.jsonl"))) {
            assertThat(lines.count()).isEqualTo(n);
        }
        assertThat(store.read("ext")).contains(new StateBlob("{\"n\":" + n + "}"));
    }

    private Pipeline.Builder pipeline(Path tap, List<Path> mappers, FileStateStore store, ObjectNode targetConfig)
            throws IOException {
        Path target = script("target.py", TARGET);
        Pipeline.Builder b = Pipeline.builder()
                .tap(Tap.singer("tap-test").command(tap).capabilities(Set.of(Tap.Capability.STATE)).build())
                .singerTarget(SingerPlugin.of("target-test", List.of(target.toString()), targetConfig))
                .stateStore(store)
                .stateId("ext")
                .options(PipelineOptions.defaults());
        for (int i = 0; i < mappers.size(); i++) {
            b.mapper(SingerPlugin.of("mapper-" + i, List.of(mappers.get(i).toString()), JSON.createObjectNode()));
        }
        return b;
    }

    private ObjectNode targetConfig(Integer failAfterStates) {
        ObjectNode c = JSON.createObjectNode().put("path", dir.resolve("out.jsonl").toString());
        if (failAfterStates != null) {
            c.put("fail_after_states", failAfterStates);
        }
        return c;
    }

    private Path script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static String record(int id, String name) {
        return "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":" + id + ",\"name\":\"" + name + "\"}}";
    }

    private static String state(int n) {
        return "{\"type\":\"STATE\",\"value\":{\"n\":" + n + "}}";
    }
}
