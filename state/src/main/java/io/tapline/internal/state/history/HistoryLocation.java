package io.tapline.internal.state.history;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the run history lives: a DuckDB file ({@code tapline: history: .tapline/system.duckdb}, the default) or a
 * shared database by URI ({@code tapline: history: postgresql://user:pass@host/db}), so runs from many hosts land
 * in one place.
 */
public sealed interface HistoryLocation permits HistoryLocation.File, HistoryLocation.Database {
    /** Where, for messages: the path, or the URI with its credentials masked. */
    String describe();

    /** A DuckDB file. */
    record File(Path path) implements HistoryLocation {
        public File {
            requireNonNull(path, "path is null");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A database a {@link RunHistoryProvider} serves, by URI; the URI may hold credentials: never log it. */
    record Database(URI uri) implements HistoryLocation {
        public Database {
            requireNonNull(uri, "uri is null");
        }

        @Override
        public String describe() {
            return io.tapline.spi.StateBackendConfig.mask(uri);
        }

        @Override
        public String toString() {
            return "Database[" + describe() + "]";
        }
    }
}
