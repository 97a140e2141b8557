package io.gatehouse.plugins.transform;

import java.util.Optional;

/**
 * The edits of one direction (request or response).
 *
 * @param headers header edits
 * @param json JSON body edits, for JSON bodies
 * @param replace a text replacement, for text bodies
 */
record Side(HeaderEdits headers, Optional<JsonEdits> json, Optional<TextReplace> replace) {

    static final Side NONE = new Side(HeaderEdits.NONE, Optional.empty(), Optional.empty());

    boolean editsBody() {
        return json.isPresent() || replace.isPresent();
    }
}
