package io.gatehouse.plugins.accesslog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RotatingFileSinkTest {

    @TempDir
    Path dir;

    /** A wall clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-03-01T23:59:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private List<String> rotated() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("access.log.")).sorted().toList();
        }
    }

    @Test
    void rotatesBySizeAndKeepsOnlyMaxFiles() throws IOException {
        MovableClock clock = new MovableClock();
        Path file = dir.resolve("access.log");
        RotatingFileSink sink = new RotatingFileSink(new FileOutput(file, 100, false, 2), clock, ZoneOffset.UTC);
        for (int i = 0; i < 10; i++) {
            sink.write("x".repeat(49)); // 50 bytes with the line end: two lines per file
            clock.now = clock.now.plusMillis(1);
        }
        sink.close();

        assertThat(Files.size(file)).isEqualTo(100);
        assertThat(rotated()).hasSize(2);
        for (String name : rotated()) {
            assertThat(Files.size(dir.resolve(name))).isEqualTo(100);
        }
    }

    @Test
    void rotatesAtMidnight() throws IOException {
        MovableClock clock = new MovableClock();
        Path file = dir.resolve("access.log");
        RotatingFileSink sink = new RotatingFileSink(new FileOutput(file, 0, true, 5), clock, ZoneOffset.UTC);
        sink.write("day one");
        clock.now = Instant.parse("2026-03-02T00:00:01Z");
        sink.write("day two");
        sink.close();

        assertThat(Files.readAllLines(file)).containsExactly("day two");
        assertThat(rotated()).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve(rotated().get(0)))).containsExactly("day one");
    }

    @Test
    void opensLazilyAndAppendsToAnExistingFile() throws IOException {
        Path file = dir.resolve("logs/access.log");
        RotatingFileSink sink = new RotatingFileSink(new FileOutput(file, 0, false, 1), new MovableClock(), ZoneOffset.UTC);
        assertThat(Files.exists(file.getParent())).isFalse();
        sink.write("one");
        sink.close();
        sink.write("two"); // reopened
        sink.close();
        assertThat(Files.readAllLines(file)).containsExactly("one", "two");
    }
}
