package io.tapline.internal.state.postgres;

import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import java.util.Set;

/**
 * {@code postgresql://user:password@host:port/database} (also {@code postgres://}): Meltano's PostgreSQL state
 * backend add-on's URI and {@code state_backend.postgresql.*} settings. Opening creates the state table (and
 * tapline's lease table) when missing, which is also the round trip that proves the server is reachable and takes
 * the credentials.
 */
public final class PostgresStateBackendProvider implements StateBackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public StateBackend open(StateBackendConfig config) {
        PostgresStateBackend backend = new PostgresStateBackend(new PostgresClient(PostgresSettings.parse(config)),
                config.lease());
        backend.ensureTables();
        return backend;
    }
}
