/**
 * Singer catalogs: Meltano's select, select_filter, metadata and schema rules, applied to a discovered
 * catalog exactly as Meltano applies them, and Meltano's reading of what ended up selected.
 * Depends on Jackson and SLF4J only; must not import the runner or any process code.
 */
package io.tapline.internal.protocol.catalog;
