package io.tapline.internal.runner.project;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of a mapper's {@code mappings} in {@code meltano.yml}: the name a run names it by and
 * the config that overrides the mapper's own (top-level keys), as Meltano writes the mapper's config.
 */
public record Mapping(String name, ObjectNode config) {
    public Mapping {
        requireNonNull(name, "name is null");
        config = config.deepCopy();
    }
}
