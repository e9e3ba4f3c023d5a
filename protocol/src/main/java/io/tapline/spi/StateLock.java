package io.tapline.spi;

/** Held while a run owns a state id; closing releases it. Idempotent, never throws. */
@FunctionalInterface
public interface StateLock extends AutoCloseable {
    @Override
    void close();

    static StateLock none() {
        return () -> { };
    }
}
