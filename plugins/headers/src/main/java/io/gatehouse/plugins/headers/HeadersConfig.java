package io.gatehouse.plugins.headers;

/**
 * Configuration of one {@code headers} filter.
 *
 * @param request edits to the request before it is forwarded
 * @param response edits to the response before it is sent to the client
 */
public record HeadersConfig(HeaderEdits request, HeaderEdits response) {
}
