package io.gatehouse.plugins.ipfilter;

import io.gatehouse.api.ConfigException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a list file (UTF-8, a byte order mark allowed): one IP address or CIDR block per line;
 * blank lines and everything after a {@code #} are ignored. The first bad line stops the read with a {@link ConfigException} whose
 * key is {@code FILE:LINE}.
 */
final class ListFile {

    private ListFile() {
    }

    /**
     * @param file the file
     * @param into receives every block of the file
     * @throws ConfigException naming the file (and line) when it cannot be read or holds a bad line
     */
    static void read(Path file, AddressSet.Builder into) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte order mark, as some editors write
                }
                int hash = line.indexOf('#');
                String entry = (hash < 0 ? line : line.substring(0, hash)).strip();
                if (entry.isEmpty()) {
                    continue;
                }
                try {
                    into.add(Cidr.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file + ":" + number, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
