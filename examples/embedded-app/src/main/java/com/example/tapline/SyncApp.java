package com.example.tapline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.Pipeline;
import io.tapline.RunHandle;
import io.tapline.RunResult;
import io.tapline.StateStores;
import io.tapline.Tap;
import io.tapline.Targets;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An application embedding tapline: it runs a Singer tap (tap-jsonfile) over a folder of JSON-lines files
 * into DuckDB on its own executor, follows the run through a listener, and prints what was committed.
 * Run it twice: the second run resumes from the stored state (tap-jsonfile skips files it has read).
 * It names only the API ({@code io.tapline}, {@code io.tapline.spi}), never {@code io.tapline.internal}.
 */
public final class SyncApp {
    private SyncApp() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SyncApp <tap-jsonfile executable> <data folder> <warehouse.duckdb>");
            System.exit(2);
        }
        Path tapExecutable = Path.of(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        Path warehouse = Path.of(args[2]).toAbsolutePath();

        ObjectNode config = JsonNodeFactory.instance.objectNode().put("stream_name", "events");
        config.putArray("paths").add(data + "/*.jsonl");
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("tap-jsonfile").command(tapExecutable).config(config).build())
                .target(Targets.duckDb(warehouse, "raw"))
                .stateStore(StateStores.file(warehouse.resolveSibling(".app-state")))
                .stateId("example-app:events")
                .listener(new RunListener() {
                    @Override
                    public void rowsWritten(StreamName stream, long rows) {
                        System.out.println("handed over " + rows + " rows of " + stream);
                    }

                    @Override
                    public void stateCommitted(StateBlob state, long rowsCommitted) {
                        System.out.println("committed " + rowsCommitted);
                    }
                })
                .build();

        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (RunHandle run = pipeline.start(executor)) {
            RunResult result = run.await(Duration.ofMinutes(10))
                    .orElseThrow(() -> new IllegalStateException("the sync took longer than 10 minutes"));
            System.out.println("rows " + result.rowsWritten());
            result.rowsPerStream().forEach((stream, rows) -> System.out.println("stream " + stream + " " + rows));
        } finally {
            executor.shutdown();
        }
    }
}
