/**
 * Helpers shared by the server and the test kit. <b>Not part of the API</b>: everything here
 * may change without notice, and plugins must not use it.
 *
 * @since 0.2
 */
@Internal
package io.gatehouse.api.internal;

import io.gatehouse.api.annotation.Internal;
