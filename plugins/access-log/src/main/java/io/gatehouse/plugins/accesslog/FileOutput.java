package io.gatehouse.plugins.accesslog;

import java.nio.file.Path;

/**
 * {@code file}: where a file output writes and how it rotates.
 *
 * @param path the file (a relative path was resolved against the server's log directory)
 * @param maxSize rotate before the file would pass this many bytes; 0: never by size
 * @param daily rotate at midnight
 * @param maxFiles how many rotated files are kept
 */
record FileOutput(Path path, long maxSize, boolean daily, int maxFiles) {
}
