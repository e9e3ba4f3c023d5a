/**
 * Singer catalogs: Meltano's select patterns and metadata rules, applied to a discovered catalog.
 * Depends only on Jackson.
 */
package io.tapline.protocol.catalog;
