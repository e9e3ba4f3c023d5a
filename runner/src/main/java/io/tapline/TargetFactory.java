package io.tapline;

import io.tapline.spi.Target;
import org.apache.arrow.memory.BufferAllocator;

/** Makes a fresh {@link Target} for one run, allocating from the run's Arrow allocator. */
@FunctionalInterface
public interface TargetFactory {
    Target create(BufferAllocator allocator);
}
