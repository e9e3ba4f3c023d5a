package io.tapline.internal.protocol.singer;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.StreamName;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** A Singer SDK BATCH message: records in files listed by the manifest. */
public record BatchMessage(StreamName stream, String format, Optional<String> compression, List<URI> manifest)
        implements SingerMessage {
    public BatchMessage {
        requireNonNull(stream, "stream is null");
        requireNonNull(format, "format is null");
        requireNonNull(compression, "compression is null");
        manifest = List.copyOf(manifest);
    }
}
