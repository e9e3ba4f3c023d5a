package io.tapline.internal.runner.pipeline;

import static java.util.Objects.requireNonNull;

import io.tapline.SingerPlugin;
import io.tapline.TargetFactory;

/** Where a run's records go: one of tapline's targets, in process, or an external Singer target process. */
public sealed interface Destination {
    /** A tapline target ({@link io.tapline.spi.Target}), fed Arrow batches by {@link TargetSession}. */
    record Tapline(TargetFactory factory) implements Destination {
        public Tapline {
            requireNonNull(factory, "factory is null");
        }
    }

    /** An external Singer target, the last process of a chain fed Singer lines by {@link ChainSink}. */
    record SingerTarget(SingerPlugin target) implements Destination {
        public SingerTarget {
            requireNonNull(target, "target is null");
        }
    }
}
