package io.tapline.internal.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.PipelineOptions;
import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.pipeline.SingerTargetRun;
import io.tapline.internal.runner.project.Loaders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "target", description = "Run one of tapline's targets as a Singer target: messages on stdin, "
        + "each committed STATE on stdout (for Meltano or any Singer runner).")
final class TargetCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "duckdb, parquet or jsonl") String name;

    @Option(names = "--config", description = "the target's settings (as target-duckdb/-parquet/-jsonl take them)")
    Optional<Path> config;

    @Override
    public Integer call() {
        JsonNode settings;
        try {
            settings = config.isPresent() ? new ObjectMapper().readTree(config.get().toFile())
                    : new ObjectMapper().createObjectNode();
        } catch (IOException e) {
            throw new ConfigException("cannot read target config " + config.get() + ": " + e.getMessage(), e);
        }
        // stdout carries only STATE lines; logs go to stderr
        PrintStream states = System.out;
        PipelineOptions options = PipelineOptions.defaults();
        if (settings.has("batch_size_rows")) { // target-duckdb's and the SDK's batch size
            int rows = settings.get("batch_size_rows").asInt(0);
            if (rows < 1) {
                throw new ConfigException("batch_size_rows must be a positive integer");
            }
            options = options.withBatchRows(rows);
        }
        new SingerTargetRun(Loaders.forLoader(name, settings, Path.of("").toAbsolutePath()), options, states)
                .run(System.in);
        return 0;
    }
}
