/**
 * Annotations that tell how far a part of the API can be relied on.
 *
 * @since 0.2
 */
package io.gatehouse.api.annotation;
