package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.PipelineOptions;
import io.tapline.SingerPlugin;
import io.tapline.Tap;
import io.tapline.internal.protocol.singer.ActivateVersionMessage;
import io.tapline.internal.protocol.singer.BatchMessage;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import io.tapline.internal.runner.process.LaunchSpec;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.LimitedCommand;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.ProcessChain;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.spi.ConfigException;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Singer tap, started with {@code --config}, {@code --catalog}/{@code --properties} and {@code --state}
 * files; with mappers its stdout is piped through them by the operating system ({@link ProcessChain}) before
 * tapline reads it (mappers before an external target run in that target's chain instead, see {@link ChainSink}).
 */
final class SingerSource implements Source {
    private final Tap tap;
    private final List<SingerPlugin> mappers;
    private final boolean fullRefresh;
    private final SingerLineParser parser;
    private Optional<StateBlob> prior = Optional.empty();

    SingerSource(Tap tap, List<SingerPlugin> mappers, PipelineOptions options) {
        this.tap = tap;
        this.mappers = List.copyOf(mappers);
        this.fullRefresh = options.fullRefresh();
        this.parser = new SingerLineParser(options.maxLineBytes());
    }

    @Override
    public String name() { return tap.name(); }

    @Override
    public void prepare(Optional<StateBlob> stored, PrivateFiles files) {
        this.prior = fullRefresh ? Optional.empty() : stored;
    }

    // SDK taps echo --state first: the stored state counts as committed, so that moves nothing forward
    @Override
    public Optional<StateBlob> alreadyCommitted() { return prior; }

    // Meltano: a full refresh merges its states into the stored one (INCOMPLETE_STATE), a normal run replaces it
    @Override
    public StateWriteMode writeMode() { return fullRefresh ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE; }

    @Override
    public List<SchemaMessage> schemas() { return List.of(); }

    @Override
    public RunningPlugin start(PrivateFiles files, RunListener listener) {
        LaunchSpec spec = tapSpec(tap, files, prior);
        if (mappers.isEmpty()) {
            return Launcher.forThisProcess().start(spec, listener::pluginMetric);
        }
        return Launcher.forThisProcess().startChain(ChainStages.after(spec, mappers, files));
    }

    /** The tap's process: its command with the files {@link #tapArgv} names, where the tap runs. */
    static LaunchSpec tapSpec(Tap tap, PrivateFiles files, Optional<StateBlob> prior) {
        List<String> argv = tapArgv(tap, files, prior);
        return LaunchSpec.forTap(tap, LaunchSpec.Role.TAP, argv.subList(tap.command().size(), argv.size()),
                files.dir());
    }

    @Override
    public void parse(InputStream in, SinkInput out) {
        parser.parse(in, new Messages(out, parser));
    }

    @Override
    public long bytesRead() { return parser.bytesRead(); }

    @Override
    public void checkExit(RunningPlugin process, int exitCode) {
        if (exitCode != 0) {
            PluginFailedException failed = process.failure(exitCode);
            List<String> tail = new ArrayList<>(failed.stderrTail());
            LimitedCommand.explain(exitCode, tap.limits()).ifPresent(tail::add);
            throw new PluginFailedException(failed.plugin(), exitCode, tail);
        }
    }

    /** The tap's command with {@code --config}, {@code --catalog}/{@code --properties} and {@code --state} files. */
    static List<String> tapArgv(Tap tap, PrivateFiles files, Optional<StateBlob> prior) {
        ObjectMapper mapper = new ObjectMapper();
        List<String> argv = new ArrayList<>(tap.command());
        try {
            argv.add("--config");
            argv.add(files.write("config.json", mapper.writeValueAsBytes(tap.config())).toString());
            if (tap.catalog().isPresent()) {
                boolean catalogFlag = tap.capabilities().contains(Tap.Capability.CATALOG)
                        || !tap.capabilities().contains(Tap.Capability.PROPERTIES);
                argv.add(catalogFlag ? "--catalog" : "--properties");
                argv.add(files.write("catalog.json", mapper.writeValueAsBytes(tap.catalog().get())).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (prior.isPresent() && tap.capabilities().contains(Tap.Capability.STATE)) {
            argv.add("--state");
            argv.add(files.write("state.json", prior.get().json().getBytes(StandardCharsets.UTF_8)).toString());
        }
        return argv;
    }

    /** Singer messages into the loop: the one translation, also used by {@link SingerTargetRun}. */
    static final class Messages implements SingerLineParser.Handler {
        private final SinkInput out;
        private final SingerLineParser parser;
        private final BatchFiles batchFiles = new BatchFiles();

        Messages(SinkInput out, SingerLineParser parser) {
            this.out = out;
            this.parser = parser;
        }

        @Override
        public void schema(SchemaMessage message, long lineNumber) {
            out.schema(message, lineNumber);
        }

        @Override
        public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
            out.record(stream, record, lineNumber, parser.rawInput()); // the parser saw the stream's SCHEMA
        }

        @Override
        public void state(StateMessage message, long lineNumber) {
            out.state(message.value());
        }

        @Override
        public void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted,
                long lineNumber) {
            out.recordEnd(stream, version, timeExtracted);
        }

        @Override
        public void activateVersion(ActivateVersionMessage message, long lineNumber) {
            out.activateVersion(message.stream(), message.version());
        }

        @Override
        public void batch(BatchMessage message, long lineNumber) {
            batchFiles.load(message, lineNumber, (stream, record, line) -> out.record(stream, record, line, null));
        }
    }
}
