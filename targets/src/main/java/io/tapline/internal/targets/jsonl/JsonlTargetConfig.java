package io.tapline.internal.targets.jsonl;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import java.nio.file.Path;

/**
 * Settings of the JSONL target.
 *
 * @param root folder holding one {@code <table name>.jsonl} file per stream; created if missing
 */
public record JsonlTargetConfig(Path root) {
    public JsonlTargetConfig {
        requireNonNull(root, "root is null");
        root = root.toAbsolutePath();
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private Path root;

        public Builder root(Path root) { this.root = root; return this; }

        public JsonlTargetConfig build() {
            if (root == null) {
                throw new ConfigException("the JSONL target needs a root folder");
            }
            return new JsonlTargetConfig(root);
        }
    }
}
