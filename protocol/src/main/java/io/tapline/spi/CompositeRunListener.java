package io.tapline.spi;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RunListener#all}: one listener's exception must not stop the others or the run. */
final class CompositeRunListener implements RunListener {
    private static final Logger log = LoggerFactory.getLogger(CompositeRunListener.class);

    private final List<RunListener> listeners;

    CompositeRunListener(List<RunListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(Consumer<RunListener> call) {
        for (RunListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("Run listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void streamSchema(StreamName stream) { each(l -> l.streamSchema(stream)); }

    @Override
    public void rowsWritten(StreamName stream, long rows) { each(l -> l.rowsWritten(stream, rows)); }

    @Override
    public void stateCommitted(StateBlob state, long rowsCommitted) { each(l -> l.stateCommitted(state, rowsCommitted)); }

    @Override
    public void streamOpened(StreamSchema schema) { each(l -> l.streamOpened(schema)); }

    @Override
    public void runStarted(RunStarted run) { each(l -> l.runStarted(run)); }

    @Override
    public void batchWritten(StreamSchema schema, VectorSchemaRoot batch, long bytes) {
        each(l -> l.batchWritten(schema, batch, bytes));
    }

    @Override
    public void estimate(Optional<StreamName> stream, long rows, long bytes) { each(l -> l.estimate(stream, rows, bytes)); }

    @Override
    public void pluginMetric(PluginMetric metric) { each(l -> l.pluginMetric(metric)); }

    @Override
    public void runFinished(RunFinished run) { each(l -> l.runFinished(run)); }

    @Override
    public void runFailed(RuntimeException failure) { each(l -> l.runFailed(failure)); }
}
