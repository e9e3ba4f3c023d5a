package io.tapline.internal.state.postgres;

import io.tapline.internal.state.history.RunHistory;
import io.tapline.internal.state.history.RunHistoryProvider;
import io.tapline.spi.StateBackendConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code tapline: history: postgresql://user:pass@host:port/db}: the run history in PostgreSQL. */
public final class PostgresRunHistoryProvider implements RunHistoryProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public RunHistory open(URI uri, Map<String, String> environment) {
        PostgresSettings settings = PostgresSettings.parse(new StateBackendConfig(uri, Map.of(), environment, Path.of(""),
                StateBackendConfig.Lease.DEFAULT), "tapline.history");
        PostgresRunHistory history = new PostgresRunHistory(new PostgresClient(settings));
        history.ensureTables();
        return history;
    }
}
