package io.gatehouse.server.config;

/**
 * How a TLS listener's connections hold HttpCore's TLS buffers ({@code server.listen[i].tls.buffers}).
 */
public enum TlsBuffers {
    /** Kept for the connection's life while the engine's budget allows (see the listener's {@code TlsBufferBudget}), else on demand. */
    AUTO("auto"),
    /** Taken for each read and write event and dropped after it: an idle connection holds none. */
    ON_DEMAND("on-demand"),
    /** Kept for the connection's whole life, idle or not. */
    PER_CONNECTION("per-connection");

    private final String configName;

    TlsBuffers(String configName) {
        this.configName = configName;
    }

    /** @return the value as written in the configuration */
    public String configName() {
        return configName;
    }
}
