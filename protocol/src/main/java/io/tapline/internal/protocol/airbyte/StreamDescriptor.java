package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.StreamName;
import java.util.Optional;

/**
 * An Airbyte stream's identity: its name and, for sources that have them (database schemas), its
 * namespace. Two streams may share a name in different namespaces.
 */
public record StreamDescriptor(StreamName name, Optional<String> namespace) {
    public StreamDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(namespace, "namespace is null");
    }

    public static StreamDescriptor of(String name) {
        return new StreamDescriptor(StreamName.of(name), Optional.empty());
    }

    public static StreamDescriptor of(String namespace, String name) {
        return new StreamDescriptor(StreamName.of(name), Optional.of(namespace));
    }

    /** {@code namespace.name}, or just the name. */
    @Override
    public String toString() {
        return namespace.map(ns -> ns + "." + name).orElse(name.value());
    }
}
