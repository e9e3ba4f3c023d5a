package io.tapline.internal.state.file;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code file://} state: Meltano's local filesystem layout ({@link FileStateStore}). {@code file:///abs/dir} is
 * absolute; {@code file://dir/sub} (Meltano accepts it) is relative to the project root.
 */
public final class FileStateBackendProvider implements StateBackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public StateBackend open(StateBackendConfig config) {
        String authority = config.uri().getAuthority();
        String path = config.uri().getPath();
        if (path == null || (path.isEmpty() && authority == null)) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, "state_backend.uri '" + config.maskedUri()
                    + "' names no folder (expected file:///absolute/folder)");
        }
        Path dir = authority == null || authority.isEmpty() ? Path.of(path) : Path.of(authority + path);
        Path root = dir.isAbsolute() ? dir : config.projectRoot().resolve(dir);
        return FileStateStore.at(root).withLease(config.lease().heartbeat(), config.lease().ttl());
    }
}
