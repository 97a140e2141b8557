package io.gatehouse.server.reload;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a reload did, as the log and the admin's {@code POST /reload} tell it.
 *
 * @param applied whether the new chain serves new exchanges now
 * @param trigger what asked for it: {@code signal}, {@code admin}, {@code watch}, {@code api}
 * @param error why it was rejected (the running configuration stays), naming the key or file
 * @param restartRequired server-wide keys that changed but take effect only after a restart
 * @param created filter instances created anew
 * @param carriedOver filter instances kept with their state
 * @param pluginsLoaded plugins loaded by this reload ({@code id version})
 * @param pluginsRetired plugins no longer used by new exchanges, unloaded once drained
 * @param listenersAdded {@code server.listen} addresses now bound
 * @param listenersRemoved {@code server.listen} addresses no longer accepting (their connections stay)
 * @param took how long validating and building took
 */
public record ReloadResult(boolean applied, String trigger, Optional<String> error, List<String> restartRequired,
                           List<String> created, List<String> carriedOver, List<String> pluginsLoaded,
                           List<String> pluginsRetired, List<String> listenersAdded, List<String> listenersRemoved,
                           Duration took) {

    /** Copies lists. */
    public ReloadResult {
        restartRequired = List.copyOf(restartRequired);
        created = List.copyOf(created);
        carriedOver = List.copyOf(carriedOver);
        pluginsLoaded = List.copyOf(pluginsLoaded);
        pluginsRetired = List.copyOf(pluginsRetired);
        listenersAdded = List.copyOf(listenersAdded);
        listenersRemoved = List.copyOf(listenersRemoved);
    }

    static ReloadResult rejected(String trigger, String error, Duration took) {
        return new ReloadResult(false, trigger, Optional.of(error), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), took);
    }

    /** @return the answer's fields, in order, for JSON */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", applied ? "applied" : "rejected");
        fields.put("trigger", trigger);
        error.ifPresent(e -> fields.put("error", e));
        if (applied) {
            fields.put("restart_required", restartRequired);
            fields.put("filters_created", created);
            fields.put("filters_carried_over", carriedOver);
            fields.put("plugins_loaded", pluginsLoaded);
            fields.put("plugins_retired", pluginsRetired);
            fields.put("listeners_added", listenersAdded);
            fields.put("listeners_removed", listenersRemoved);
        }
        fields.put("took_ms", took.toMillis());
        return fields;
    }

    /** @return one line for the log */
    public String summary() {
        if (!applied) {
            return "Reload (" + trigger + ") rejected, the running configuration stays: " + error.orElse("");
        }
        return "Reload (" + trigger + ") applied in " + took.toMillis() + " ms: " + created.size() + " filter(s) created "
                + created + ", " + carriedOver.size() + " carried over " + carriedOver
                + (pluginsLoaded.isEmpty() ? "" : ", plugins loaded " + pluginsLoaded)
                + (pluginsRetired.isEmpty() ? "" : ", plugins retired " + pluginsRetired)
                + (listenersAdded.isEmpty() ? "" : ", listening now on " + listenersAdded)
                + (listenersRemoved.isEmpty() ? "" : ", no longer accepting on " + listenersRemoved)
                + (restartRequired.isEmpty() ? "" : "; needs a restart to take effect: " + restartRequired);
    }
}
