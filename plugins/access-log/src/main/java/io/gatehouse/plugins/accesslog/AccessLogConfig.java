package io.gatehouse.plugins.accesslog;

import java.time.ZoneId;
import java.util.Optional;

/**
 * The validated config of one {@code access-log} entry. Immutable.
 *
 * @param format how lines look
 * @param redaction what lines must not show
 * @param file the file output; empty: standard output
 * @param bufferLines at most this many lines wait for the writer
 * @param bufferBytes at most this many characters of lines wait for the writer
 * @param zone the zone of {@code combined} timestamps and of daily rotation
 */
record AccessLogConfig(LineFormat format, Redaction redaction, Optional<FileOutput> file, int bufferLines, long bufferBytes,
                       ZoneId zone) {
}
