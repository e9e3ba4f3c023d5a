package io.tapline.internal.runner.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code --log-format json}: one JSON object per log line, {@code {"ts", "level", "logger", "thread",
 * "message"}} plus {@code "plugin"} for a plugin's stderr ({@code tapline.plugin.<name>}) and
 * {@code "exception"} with the stack trace when there is one.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final String PLUGIN_PREFIX = "tapline.plugin.";
    private static final byte[] NONE = new byte[0];

    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() { return NONE; }

    @Override
    public byte[] footerBytes() { return NONE; }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            if (event.getLoggerName().startsWith(PLUGIN_PREFIX)) {
                g.writeStringField("plugin", event.getLoggerName().substring(PLUGIN_PREFIX.length()));
            }
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
