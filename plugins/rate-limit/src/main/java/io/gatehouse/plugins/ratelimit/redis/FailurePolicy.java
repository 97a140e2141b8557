package io.gatehouse.plugins.ratelimit.redis;

/** What a decision is when Redis does not answer within the timeout ({@code redis.failure:}). */
public enum FailurePolicy {

    /** Admit the request (the limit is not enforced meanwhile); logged and counted. */
    FAIL_OPEN("fail-open"),

    /** Refuse the request with 503 (the origin is protected, clients are not served). */
    FAIL_CLOSED("fail-closed");

    private final String configName;

    FailurePolicy(String configName) {
        this.configName = configName;
    }

    /** @return the name in config */
    public String configName() {
        return configName;
    }
}
