package io.gatehouse.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the documentation: the repository's README, the distribution's
 * README and every page of {@code docs/}. A block right after a line
 * {@code <!-- docs-test: skip -->} is marked skipped (an example of a mistake, or a command
 * that needs what a test cannot have).
 */
final class DocsBlocks {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    static final String SKIP = "<!-- docs-test: skip -->";

    /**
     * @param file the page
     * @param line the block's first line (1-based)
     * @param text the block's lines
     * @param skipped whether the page marked it not to be tested
     */
    record Block(Path file, int line, String text, boolean skipped) {
        @Override
        public String toString() {
            return REPOSITORY.relativize(file) + ":" + line;
        }
    }

    private DocsBlocks() {
    }

    /** @return the pages, in a stable order */
    static List<Path> pages() throws IOException {
        List<Path> files = new ArrayList<>(List.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("distribution/src/README.md")));
        try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** @return every block of {@code language} ({@code yaml}, {@code sh}) in {@code file} */
    static List<Block> of(Path file, String language) throws IOException {
        List<Block> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals("```" + language)) {
                continue;
            }
            boolean skipped = i > 0 && lines.get(i - 1).trim().equals(SKIP);
            StringBuilder text = new StringBuilder();
            int start = i + 2;
            for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            found.add(new Block(file, start, text.toString(), skipped));
        }
        return found;
    }
}
