package io.tapline.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.Pipeline;
import io.tapline.Project;
import io.tapline.RunHandle;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.StateStores;
import io.tapline.Tap;
import io.tapline.Targets;
import io.tapline.spi.RunListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The code examples of the API's Javadoc and of the README, as compiled code, so that they stay true. Each example
 * is the text between a {@code // snippet <name>} line and the next {@code // end snippet}; a document that shows
 * it marks its copy {@code snippet: <name>}, and {@link EmbeddingExamplesTest} fails when a copy differs from the
 * code here, and runs the examples that need no network for real.
 */
final class EmbeddingExamples {
    private EmbeddingExamples() {}

    /** {@link Pipeline}'s class Javadoc and the README's "Using tapline as a library". */
    static RunResult runATapIntoDuckDb(Path tapExecutable, JsonNode config, Path dir) {
        // snippet run-a-tap-into-duckdb
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("tap-jsonl").command(tapExecutable).config(config).build())
                .target(Targets.duckDb(dir.resolve("warehouse.duckdb"), "raw"))
                .stateStore(StateStores.file(dir.resolve(".tapline/state")))
                .stateId("app:tap-jsonl")
                .listener(RunListener.logging())
                .build();                    // validates now: a ConfigException names what is wrong
        RunResult result = pipeline.run();   // blocks; every process, connection and Arrow buffer is closed on return
        // end snippet
        return result;
    }

    /** {@link RunHandle}'s Javadoc and the README. */
    static Optional<RunResult> runOnYourExecutor(Pipeline pipeline, ExecutorService executor) {
        // snippet run-on-your-executor
        try (RunHandle run = pipeline.start(executor)) {                   // runs on one thread of your executor
            Optional<RunResult> done = run.await(Duration.ofMinutes(30));   // empty if still running
            return done;
        }   // close() = cancel + wait until everything is released; idempotent
        // end snippet
    }

    /** {@link Pipeline}'s class Javadoc: an Airbyte source goes in the same way. */
    static Tap airbyteSource(Path venv, JsonNode config) {
        // snippet airbyte-source
        Tap source = Tap.airbyte("source-faker").command(venv.resolve("bin/source-faker")).config(config).build();
        // end snippet
        return source;
    }

    /** {@link Project}'s Javadoc and the README: a pipeline of a {@code meltano.yml} project. */
    static RunResult runFromAProjectFile() {
        // snippet from-a-project-file
        Pipeline pipeline = Project.open(Path.of("meltano.yml"))
                .pipeline("tap-jsonl", "target-duckdb", RunOptions.defaults());
        RunResult result = pipeline.run();
        // end snippet
        return result;
    }
}
