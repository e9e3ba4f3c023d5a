package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.StreamNameCache;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Stream names and namespaces read from RECORDs, reused while consecutive records repeat them (no
 * String per record), and the check against the configured streams. Not thread-safe.
 */
final class StreamNames {
    private final Set<StreamDescriptor> configured;
    private final StreamNameCache streams = new StreamNameCache();
    private String lastNamespace;
    private Optional<String> lastNamespaceOptional = Optional.empty();
    private StreamName checkedStream; // the last stream/namespace pair found configured
    private String checkedNamespace;

    /** @param configured the streams records may name; empty allows all */
    StreamNames(Set<StreamDescriptor> configured) {
        this.configured = Set.copyOf(configured);
    }

    /** The stream name the parser is on, or null for an empty one. */
    StreamName streamName(JsonParser p) throws IOException {
        return streams.read(p);
    }

    /** The namespace the parser is on. */
    String namespace(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        String last = lastNamespace;
        if (last != null && StreamNameCache.sameChars(last, chars, off, len)) {
            return last;
        }
        lastNamespace = new String(chars, off, len);
        lastNamespaceOptional = Optional.of(lastNamespace);
        return lastNamespace;
    }

    /** {@code Optional.ofNullable(namespace)}, without an allocation for a repeated namespace. */
    Optional<String> optional(String namespace) {
        if (namespace == null) {
            return Optional.empty();
        }
        return namespace == lastNamespace ? lastNamespaceOptional : Optional.of(namespace);
    }

    /** Whether records of this stream are expected; {@code namespace} may be null. */
    boolean isConfigured(StreamName stream, String namespace) {
        if (configured.isEmpty() || (stream == checkedStream && namespace == checkedNamespace)) {
            return true; // names are reused while they repeat, so identity is enough
        }
        if (configured.contains(new StreamDescriptor(stream, Optional.ofNullable(namespace)))) {
            checkedStream = stream;
            checkedNamespace = namespace;
            return true;
        }
        return false;
    }

    boolean isConfigured(StreamDescriptor stream) {
        return configured.isEmpty() || configured.contains(stream);
    }

}
