package io.gatehouse.plugins.canary;

import io.gatehouse.api.http.RequestKey;
import io.gatehouse.api.http.SetCookie;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One traffic split as configured: which requests it takes (those of a cluster or a route), the
 * targets they are shared between, and how a client is kept on its side.
 *
 * @param name the split's name, used in logs and {@code /status}
 * @param fromCluster the cluster whose requests are split, or empty
 * @param fromRoute the route whose requests are split, or empty
 * @param targets the clusters that share the traffic; the first is the stable side, the others canaries
 * @param overrideHeader a request header naming the target (or {@code always}/{@code never}), or empty
 * @param overrideCookie a cookie doing the same, or empty
 * @param overrideAfterRollback whether an override still reaches a canary after it was rolled
 *     back ({@code override.after-rollback}); by default it does not
 * @param stickyCookie cookie affinity: the cookie as configured, given the cluster as its value; or empty
 * @param stickyHash hash affinity ({@code header:NAME}, {@code cookie:NAME}, {@code client-ip}), or empty
 * @param responseHeader a response header naming the target that served, or empty
 * @param mirror shadow traffic, or empty
 * @param rollback automatic rollback of the canaries, or empty
 */
record Split(String name, Optional<String> fromCluster, Optional<String> fromRoute, List<Target> targets,
             Optional<String> overrideHeader, Optional<String> overrideCookie, boolean overrideAfterRollback, Optional<SetCookie> stickyCookie,
             Optional<RequestKey> stickyHash, Optional<String> responseHeader, Optional<Mirror> mirror, Optional<Rollback> rollback) {

    Split {
        targets = List.copyOf(targets);
    }

    /**
     * @param cluster the cluster the request goes to on this side
     * @param weight its share
     */
    record Target(String cluster, int weight) {
    }

    /**
     * @param endpoints the mirror cluster: mirrored requests go to these in turn, e.g. {@code http://10.0.0.9:8080}
     * @param percent share of requests mirrored
     * @param maxBody requests with a longer body are not mirrored
     * @param timeout a mirrored request is abandoned after this long
     * @param forwardCredentials whether {@code Authorization} and {@code Cookie} go to the mirror too
     * @param maxInFlight the most copies under way at once; requests past it are not mirrored (shed)
     */
    record Mirror(List<String> endpoints, double percent, long maxBody, Duration timeout, boolean forwardCredentials,
                  int maxInFlight) {

        Mirror {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * @param window the sliding window the error ratio is measured over
     * @param minRequests fewer judged canary requests than this in the window decide nothing
     * @param maxErrorPercent a higher share of failures among the judged requests ({@link RollbackJudge})
     *     rolls the canaries back
     */
    record Rollback(Duration window, int minRequests, double maxErrorPercent) {
    }
}
