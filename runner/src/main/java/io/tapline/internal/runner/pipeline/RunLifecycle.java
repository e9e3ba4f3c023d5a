package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.RunResult;
import io.tapline.spi.StateBlob;
import io.tapline.spi.TaplineException;
import io.tapline.spi.RunFinished;
import io.tapline.spi.RunListener;
import io.tapline.spi.RunStarted;
import io.tapline.spi.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Frames one run for its listeners: {@link RunListener#runStarted} before, {@link RunListener#runFinished}
 * after, success or not, with the error message stripped of the tap's secret settings.
 */
public final class RunLifecycle {
    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(pass|secret|token|key|credential|private|auth|dsn|uri|url).*", Pattern.CASE_INSENSITIVE);

    private RunLifecycle() {}

    /** Runs {@code body} between the two callbacks; its result or exception passes through unchanged. */
    public static RunResult run(String pipeline, String stateId, StateStore stateStore, RunListener listener,
            JsonNode tapConfig, Supplier<RunResult> body) {
        Optional<StateBlob> before = readQuietly(stateStore, stateId);
        RunStarted start = new RunStarted(UUID.randomUUID().toString(), pipeline, stateId, Instant.now(), before);
        listener.runStarted(start);
        try {
            RunResult result = body.get();
            listener.runFinished(new RunFinished(start, Instant.now(), RunFinished.Status.SUCCESS, Optional.empty(), 0,
                    result.rowsWritten(), result.bytesRead(), result.finalState().or(() -> before)));
            return result;
        } catch (RuntimeException | Error e) {
            int exit = e instanceof TaplineException te ? te.errorCode().exitCode() : 1;
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            listener.runFinished(new RunFinished(start, Instant.now(), RunFinished.Status.FAILED,
                    Optional.of(redact(message, tapConfig)), exit, -1, 0, readQuietly(stateStore, stateId)));
            throw e;
        }
    }

    /** {@code text} with the string values of the config's secret-looking settings replaced by {@code ****}. */
    public static String redact(String text, JsonNode config) {
        List<String> secrets = new ArrayList<>();
        collect(config, false, secrets);
        secrets.sort(Comparator.comparingInt(String::length).reversed()); // a longer secret may contain a shorter one
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "****");
        }
        return out;
    }

    private static void collect(JsonNode node, boolean secret, List<String> out) {
        if (node.isTextual()) {
            if (secret && node.asText().length() >= 4) {
                out.add(node.asText());
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> collect(e.getValue(),
                    secret || SECRET_KEY.matcher(e.getKey().toLowerCase(Locale.ROOT)).matches(), out));
        } else if (node.isArray()) {
            node.forEach(v -> collect(v, secret, out));
        }
    }

    private static Optional<StateBlob> readQuietly(StateStore store, String stateId) {
        try {
            return store.read(stateId);
        } catch (RuntimeException e) {
            return Optional.empty(); // the run itself reports an unreadable state
        }
    }
}
