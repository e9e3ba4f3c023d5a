package io.tapline.spi;


import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a target asks of the records it is given, applied by the run loop before records become Arrow batches.
 *
 * @param metadata Singer metadata columns added to every stream (empty: none)
 * @param flattenDepth nested object levels flattened into {@code parent__child} columns; 0 keeps objects as JSON
 * @param validation whether records are checked against their stream's JSON Schema
 * @param activateVersions whether ACTIVATE_VERSION messages reach the target (the SDK's
 *     {@code process_activate_version_messages}); when they do, streams that get one carry {@code _sdc_table_version}
 *     and {@code _sdc_deleted_at}
 */
public record RecordHandling(Set<MetadataColumn> metadata, int flattenDepth, Validation validation,
        boolean activateVersions) {
    /** Record validation against the stream's JSON Schema. */
    public enum Validation {
        /** No check beyond what the column types need (the default: costs nothing). */
        OFF,
        /** A record that breaks its schema is logged and counted, and loaded as far as its columns allow. */
        WARN,
        /** A record that breaks its schema is logged and counted, and not loaded. */
        WARN_SKIP,
        /** A record that breaks its schema fails the run, naming stream, record number, field and rule. */
        STRICT
    }

    /** Records as they come: no metadata, no flattening, no validation, ACTIVATE_VERSION ignored. */
    public static final RecordHandling PLAIN = new RecordHandling(Set.of(), 0, Validation.OFF, false);

    public RecordHandling {
        requireNonNull(validation, "validation is null");
        metadata = metadata.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(metadata));
        if (flattenDepth < 0) {
            throw new IllegalArgumentException("flattenDepth is negative");
        }
    }

    /** Every metadata column. */
    public static Set<MetadataColumn> allMetadata() {
        return EnumSet.allOf(MetadataColumn.class);
    }
}
