package io.gatehouse.plugins.transform;

import java.util.Optional;

/**
 * The {@code transform} filter's configuration.
 *
 * @param request edits of the request
 * @param path a path rewrite of the request
 * @param query query edits of the request
 * @param response edits of the response
 */
record TransformConfig(Side request, Optional<PathRewrite> path, QueryEdits query, Side response) {
}
