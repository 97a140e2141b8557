package io.gatehouse.plugins.router;

import java.util.List;
import java.util.Optional;

/**
 * The {@code router} filter's configuration.
 *
 * @param routes the routes in config order
 * @param fallback the route taken when no other matches; without it such requests get 404
 */
record RouterConfig(List<Route> routes, Optional<Route> fallback) {

    RouterConfig {
        routes = List.copyOf(routes);
    }
}
