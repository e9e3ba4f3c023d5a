/**
 * The {@code s3://} state backend on the AWS SDK for Java v2: Meltano's URI and settings, conditional writes
 * (If-None-Match / If-Match) for the run lease. Only this package imports the SDK; the layout and the lease live
 * in {@code io.tapline.internal.state.objectstore}.
 */
package io.tapline.internal.state.s3;
