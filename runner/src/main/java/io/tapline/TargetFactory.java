package io.tapline;

import io.tapline.spi.Target;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Makes a fresh {@link Target} for one run, allocating from the run's Arrow allocator. Called once per
 * run, on the run's thread; the run owns the target it returns and closes it (also on failure) before
 * the allocator. Must be safe to call again for the next run, possibly from another thread.
 */
@FunctionalInterface
public interface TargetFactory {
    Target create(BufferAllocator allocator);
}
