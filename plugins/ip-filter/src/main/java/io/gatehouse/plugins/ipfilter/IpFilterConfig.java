package io.gatehouse.plugins.ipfilter;

import java.time.Duration;

/**
 * The validated config of one {@code ip-filter} entry.
 *
 * @param allow where the allow list comes from; when configured, only its addresses pass
 * @param deny where the deny list comes from; its addresses never pass
 * @param initial the lists as read at start-up
 * @param watchInterval how often the list files are looked at for changes
 * @param body the body of the 403 answer
 */
record IpFilterConfig(AddressList allow, AddressList deny, Rules initial, Duration watchInterval, String body) {
}
