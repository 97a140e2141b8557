package io.gatehouse.plugins.accesslog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Lines appended to a file, rotated by size and/or at midnight, with a bounded number of rotated
 * files kept. A rotated file is renamed {@code NAME.yyyyMMdd-HHmmss-SSS} (names that sort in
 * time order); past {@code maxFiles} the oldest are deleted. The file is opened on the first
 * line (so a dry run such as {@code gatehouse explain} creates nothing), its directories created
 * if needed, and reopened after a write error. Used by the writer thread only.
 */
final class RotatingFileSink implements LineSink {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

    private final FileOutput settings;
    private final Clock clock;
    private final ZoneId zone;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    private long size;
    private long nextMidnightMillis;
    private long rotations;

    /**
     * @param settings the file, size limit, daily rotation and retention
     * @param clock the wall clock (for daily rotation and names)
     * @param zone the zone whose midnight starts a day
     */
    RotatingFileSink(FileOutput settings, Clock clock, ZoneId zone) {
        this.settings = settings;
        this.clock = clock;
        this.zone = zone;
    }

    @Override
    public void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (channel == null) {
            open();
        }
        boolean overSize = settings.maxSize() > 0 && size > 0 && size + bytes.length > settings.maxSize();
        boolean newDay = settings.daily() && clock.millis() >= nextMidnightMillis;
        if (overSize || newDay) {
            rotate();
        }
        if (bytes.length > buffer.remaining()) {
            drain();
        }
        if (bytes.length > buffer.capacity()) {
            writeFully(ByteBuffer.wrap(bytes));
        } else {
            buffer.put(bytes);
        }
        size += bytes.length;
    }

    @Override
    public void flush() throws IOException {
        if (channel != null) {
            drain();
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            drain();
        } catch (IOException e) {
            buffer.clear(); // nothing more can be done with these bytes
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a failed write: the channel is gone either way
            }
            channel = null;
        }
    }

    @Override
    public String describe() {
        return "file " + settings.path() + " (" + (settings.maxSize() > 0 ? "rotated past " + settings.maxSize() + " bytes" : "no size limit")
                + (settings.daily() ? ", daily" : "") + ", " + settings.maxFiles() + " rotated file(s) kept, " + rotations
                + " rotation(s) so far)";
    }

    private void open() throws IOException {
        buffer.clear();
        Path parent = settings.path().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        channel = FileChannel.open(settings.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
        nextMidnightMillis = LocalDate.now(clock.withZone(zone)).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private void rotate() throws IOException {
        drain();
        channel.close();
        channel = null;
        if (size > 0) {
            String name = settings.path().getFileName() + "." + SUFFIX.format(clock.instant().atZone(zone));
            Path rotated = settings.path().resolveSibling(name);
            for (int n = 1; Files.exists(rotated); n++) {
                rotated = settings.path().resolveSibling(name + "-" + n);
            }
            Files.move(settings.path(), rotated);
            rotations++;
            prune();
        }
        open();
    }

    /** Deletes the oldest rotated files past {@code maxFiles}. */
    private void prune() throws IOException {
        String prefix = settings.path().getFileName() + ".";
        List<Path> rotated = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.path().toAbsolutePath().getParent(), prefix + "*")) {
            for (Path file : files) {
                rotated.add(file);
            }
        }
        if (rotated.size() <= settings.maxFiles()) {
            return;
        }
        Collections.sort(rotated); // the names sort in time order
        for (int i = 0; i < rotated.size() - settings.maxFiles(); i++) {
            Files.deleteIfExists(rotated.get(i));
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        try {
            writeFully(buffer);
        } finally {
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
