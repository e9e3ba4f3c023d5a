package io.tapline.internal.protocol.singer;

/** One line of a Singer tap's stdout. RECORDs on the hot path never become objects; see {@link SingerLineParser}. */
public sealed interface SingerMessage
        permits SchemaMessage, RecordMessage, StateMessage, ActivateVersionMessage, BatchMessage {}
