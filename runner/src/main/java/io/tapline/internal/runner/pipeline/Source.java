package io.tapline.internal.runner.pipeline;

import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A connector process whose stdout the run loop reads, whatever protocol it speaks: a Singer tap (possibly piped
 * through mappers, {@link SingerSource}) or an Airbyte source ({@link AirbyteSource}). It turns its protocol's
 * messages into the loop's ({@link SinkInput}): schemas, records, states. One per run attempt; used on the run's
 * thread only.
 */
sealed interface Source permits SingerSource, AirbyteSource {
    String name();

    /**
     * Everything before the process starts (Airbyte: spec check, discover), given the stored state.
     * Afterwards {@link #alreadyCommitted()}, {@link #writeMode()} and {@link #schemas()} hold.
     */
    void prepare(Optional<StateBlob> stored, PrivateFiles files);

    /** The stored state as this source's states are written: a connector echoing it moves nothing forward. */
    Optional<StateBlob> alreadyCommitted();

    /** How each state is saved (a Singer full refresh merges, everything else replaces). */
    StateWriteMode writeMode();

    /** Schemas known before any output (an Airbyte configured catalog's streams); a Singer tap sends its own. */
    List<SchemaMessage> schemas();

    /** Starts the process. */
    RunningPlugin start(PrivateFiles files, RunListener listener);

    /** Parses the process's whole stdout into {@code out}. */
    void parse(InputStream in, SinkInput out);

    long bytesRead();

    /** After the output ended with exit code {@code exitCode}: throws if the connector reported or exited a failure. */
    void checkExit(RunningPlugin process, int exitCode);
}
