package io.tapline.internal.protocol.airbyte;

/**
 * One message on an Airbyte connector's stdout. RECORDs on the load path never become objects; see
 * {@link AirbyteLineParser}. Payloads the model does not name stay available as JSON.
 */
public sealed interface AirbyteMessage
        permits AirbyteRecordMessage, AirbyteStateMessage, AirbyteLogMessage, AirbyteTraceMessage,
        AirbyteCatalogMessage, AirbyteSpecMessage, AirbyteConnectionStatusMessage, AirbyteControlMessage {}
