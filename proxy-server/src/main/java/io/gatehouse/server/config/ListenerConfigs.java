package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads {@code server.listen}: a list whose entries are {@code "host:port"} strings (plain
 * HTTP/1.1) or mappings with {@code address}, {@code tls}, {@code http2} and
 * {@code redirect-to-https}. Certificate files are only named here; they are read (and their
 * problems reported with the key and path) when the listener starts.
 */
final class ListenerConfigs {

    private static final Set<String> LISTENER_KEYS = Set.of("address", "tls", "http2", "redirect-to-https");
    private static final Set<String> TLS_KEYS = Set.of("certificate", "key", "keystore", "password", "certificates",
            "protocols", "ciphers", "unknown-server-name", "hsts", "client-auth", "buffers");
    private static final Set<String> CLIENT_AUTH_KEYS = Set.of("mode", "trusted-certificates", "forward-header");
    private static final Set<String> CERTIFICATE_KEYS = Set.of("certificate", "key", "keystore", "password");
    private static final Set<String> HSTS_KEYS = Set.of("max-age", "include-subdomains", "preload");

    /** TLS 1.3 and 1.2 (see {@code ServerTls}). */
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> DEFAULT_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final Path baseDirectory;

    ListenerConfigs(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    /**
     * @param key {@code server.listen}
     * @param raw its value as read: null, a string, a mapping, or a list of those
     * @return the listeners; {@code 0.0.0.0:8080} when none is configured
     */
    List<ListenerSpec> parse(String key, Object raw) {
        List<Object> entries = raw == null ? List.of() : raw instanceof List<?> list ? new ArrayList<>(list) : List.of(raw);
        List<ListenerSpec> listeners = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryKey = key + "[" + i + "]";
            Object entry = entries.get(i);
            if (entry instanceof Map<?, ?> map) {
                Map<String, Object> values = stringKeys(entryKey, map);
                if (values.containsKey("tls") && values.get("tls") == null) { // "tls: {}" reads as no value
                    throw new ConfigException(entryKey + ".tls.certificate", "a TLS listener needs a certificate: "
                            + "certificate and key (PEM files), keystore and password (PKCS#12), or a list of those under certificates");
                }
                boolean hstsEmpty = values.get("tls") instanceof Map<?, ?> tlsValues && tlsValues.containsKey("hsts")
                        && tlsValues.get("hsts") == null;
                listeners.add(listener(PluginConfig.of(entryKey, values), hstsEmpty));
            } else if (entry instanceof String || entry instanceof Number) {
                listeners.add(ListenerSpec.plain(entryKey, ConfigLoader.address(entryKey, String.valueOf(entry))));
            } else {
                throw new ConfigException(entryKey, "expected \"host:port\" or a mapping with address and tls");
            }
        }
        if (listeners.isEmpty()) {
            listeners.add(ListenerSpec.plain(key + "[0]", new InetSocketAddress("0.0.0.0", 8080)));
        }
        return listeners;
    }

    private ListenerSpec listener(PluginConfig entry, boolean hstsEmpty) {
        entry.requireKnownKeys(LISTENER_KEYS);
        String key = entry.path("address").substring(0, entry.path("address").length() - ".address".length());
        InetSocketAddress address = ConfigLoader.address(entry.path("address"), entry.getString("address"));
        Optional<TlsSettings> tls = entry.has("tls") ? Optional.of(tls(entry.getSection("tls"), hstsEmpty)) : Optional.empty();
        OptionalInt redirect = OptionalInt.empty();
        if (entry.has("redirect-to-https")) {
            if (tls.isPresent()) {
                throw new ConfigException(entry.path("redirect-to-https"), "a TLS listener cannot redirect to HTTPS");
            }
            redirect = OptionalInt.of(entry.getInt("redirect-to-https", 443, 1, 65535));
        }
        return new ListenerSpec(key, address, tls, entry.getBoolean("http2", tls.isPresent()), redirect);
    }

    private TlsSettings tls(PluginConfig tls, boolean hstsEmpty) {
        tls.requireKnownKeys(TLS_KEYS);
        String key = tls.path("certificates").substring(0, tls.path("certificates").length() - ".certificates".length());
        List<CertificateSource> certificates = new ArrayList<>();
        boolean inline = tls.has("certificate") || tls.has("keystore");
        if (inline) {
            if (tls.has("certificates")) {
                throw new ConfigException(tls.path("certificates"), "give either certificates or certificate/key (keystore/password), not both");
            }
            certificates.add(certificate(tls, key));
        } else {
            List<PluginConfig> entries = tls.getSectionList("certificates");
            for (int i = 0; i < entries.size(); i++) {
                PluginConfig entry = entries.get(i);
                entry.requireKnownKeys(CERTIFICATE_KEYS);
                certificates.add(certificate(entry, tls.path("certificates") + "[" + i + "]"));
            }
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(tls.path("certificate"), "a TLS listener needs a certificate: certificate and key "
                    + "(PEM files), keystore and password (PKCS#12), or a list of those under certificates");
        }
        List<String> protocols = tls.has("protocols") ? tls.getStringList("protocols") : DEFAULT_PROTOCOLS;
        for (int i = 0; i < protocols.size(); i++) {
            if (!protocols.get(i).equals("TLSv1.3") && !protocols.get(i).equals("TLSv1.2")) {
                throw new ConfigException(tls.path("protocols") + "[" + i + "]", "expected TLSv1.3 or TLSv1.2, got \""
                        + protocols.get(i) + "\" (older versions are not offered)");
            }
        }
        if (protocols.isEmpty()) {
            throw new ConfigException(tls.path("protocols"), "must name at least one of TLSv1.3, TLSv1.2");
        }
        List<String> ciphers = tls.has("ciphers") ? tls.getStringList("ciphers") : DEFAULT_CIPHERS;
        if (ciphers.isEmpty()) {
            throw new ConfigException(tls.path("ciphers"), "must name at least one cipher suite");
        }
        String unknown = tls.getString("unknown-server-name", "default");
        if (!unknown.equals("default") && !unknown.equals("reject")) {
            throw new ConfigException(tls.path("unknown-server-name"), "expected default or reject, got \"" + unknown + "\"");
        }
        String bufferValue = tls.getString("buffers", TlsBuffers.AUTO.configName());
        TlsBuffers buffers = null;
        for (TlsBuffers candidate : TlsBuffers.values()) {
            if (candidate.configName().equals(bufferValue)) {
                buffers = candidate;
            }
        }
        if (buffers == null) {
            throw new ConfigException(tls.path("buffers"), "expected auto, on-demand or per-connection, got \"" + bufferValue + "\"");
        }
        return new TlsSettings(key, certificates, protocols, ciphers, unknown.equals("reject"), hsts(tls, hstsEmpty),
                tls.has("client-auth") ? Optional.of(clientAuth(tls.getSection("client-auth"))) : Optional.empty(),
                buffers);
    }

    private ClientAuth clientAuth(PluginConfig section) {
        section.requireKnownKeys(CLIENT_AUTH_KEYS);
        String key = section.path("mode").substring(0, section.path("mode").length() - ".mode".length());
        String mode = section.getString("mode", "required");
        if (!mode.equals("required") && !mode.equals("optional")) {
            throw new ConfigException(section.path("mode"), "expected required or optional, got \"" + mode + "\"");
        }
        Optional<String> header = section.findString("forward-header").map(String::trim);
        if (header.isPresent() && !header.get().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new ConfigException(section.path("forward-header"), "not a header name: " + header.get());
        }
        return new ClientAuth(key, mode.equals("required"), file(section, "trusted-certificates"), header);
    }

    private CertificateSource certificate(PluginConfig section, String key) {
        boolean pem = section.has("certificate") || section.has("key");
        boolean p12 = section.has("keystore") || section.has("password");
        if (pem == p12) {
            throw new ConfigException(pem ? section.path("keystore") : section.path("certificate"), pem
                    ? "give either certificate and key (PEM) or keystore and password (PKCS#12), not both"
                    : "expected certificate and key (PEM files) or keystore and password (PKCS#12)");
        }
        if (pem) {
            Path certificate = file(section, "certificate");
            return new CertificateSource.Pem(key, certificate, section.has("key") ? file(section, "key") : certificate);
        }
        return new CertificateSource.Pkcs12(key, file(section, "keystore"), section.getString("password"));
    }

    private Path file(PluginConfig section, String key) {
        String value = section.getString(key).trim();
        if (value.isEmpty()) {
            throw new ConfigException(section.path(key), "must name a file");
        }
        return baseDirectory.resolve(value).normalize();
    }

    /**
     * @param section {@code server.upstream-tls}
     * @return how {@code https} origins are verified
     */
    UpstreamTls upstreamTls(PluginConfig section) {
        section.requireKnownKeys(Set.of("trusted-certificates", "certificate", "key", "keystore", "password"));
        String key = section.path("trusted-certificates");
        String base = key.substring(0, key.length() - ".trusted-certificates".length());
        boolean clientCertificate = section.has("certificate") || section.has("key") || section.has("keystore")
                || section.has("password");
        return new UpstreamTls(base,
                section.has("trusted-certificates") ? Optional.of(file(section, "trusted-certificates")) : Optional.empty(),
                clientCertificate ? Optional.of(certificate(section, base)) : Optional.empty());
    }

    private static Optional<String> hsts(PluginConfig tls, boolean emptyMapping) {
        if (emptyMapping) { // "hsts: {}" reads as no value: the defaults
            return Optional.of("max-age=" + Duration.ofDays(365).toSeconds());
        }
        if (!tls.has("hsts")) {
            return Optional.empty();
        }
        PluginConfig hsts = tls.getSection("hsts");
        hsts.requireKnownKeys(HSTS_KEYS);
        Duration maxAge = hsts.getDuration("max-age", Duration.ofDays(365));
        if (maxAge.isNegative()) {
            throw new ConfigException(hsts.path("max-age"), "must not be negative");
        }
        StringBuilder value = new StringBuilder("max-age=").append(maxAge.toSeconds());
        if (hsts.getBoolean("include-subdomains", false)) {
            value.append("; includeSubDomains");
        }
        if (hsts.getBoolean("preload", false)) {
            value.append("; preload");
        }
        return Optional.of(value.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(String key, Map<?, ?> map) {
        for (Object name : map.keySet()) {
            if (!(name instanceof String)) {
                throw new ConfigException(key, "keys must be strings");
            }
        }
        return (Map<String, Object>) map;
    }
}
