package io.gatehouse.plugins.ipfilter;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where one list (allow or deny) comes from: its inline entries, already checked, and an
 * optional file. An immutable value of the config.
 *
 * @param inline the entries of the config
 * @param file the list file, if any
 */
record AddressList(List<Cidr> inline, Optional<Path> file) {

    AddressList {
        inline = List.copyOf(inline);
    }

    /** @return whether the config gives this list at all (inline, a file, or both) */
    boolean configured() {
        return !inline.isEmpty() || file.isPresent();
    }

    /**
     * Reads the list: the inline entries and the file's current content.
     *
     * @return the set
     * @throws io.gatehouse.api.ConfigException naming the file and line of a bad entry
     */
    AddressSet load() {
        AddressSet.Builder builder = new AddressSet.Builder();
        inline.forEach(builder::add);
        file.ifPresent(path -> ListFile.read(path, builder));
        return builder.build();
    }
}
