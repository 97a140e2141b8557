/**
 * Small pieces shared by the client-facing and the origin-facing HTTP/2 code.
 */
package io.gatehouse.server.h2;
