package io.gatehouse.plugins.auth;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.References;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code auth} filter: authenticates requests at the edge with API keys, HTTP Basic, JWT
 * bearer tokens or a forward-auth service, authorizes them by consumer, group, scope or claim,
 * and tells the origin and later filters who sent them. See {@code docs/auth.md}.
 *
 * <pre>
 * - type: auth
 *   when: { path-prefix: /api }
 *   config:
 *     jwt: { issuer: "https://id.example.com", audience: orders-api, algorithms: [RS256, ES256] }
 *     access:
 *       - { methods: [POST, PUT, DELETE], require: { scope: orders:write } }
 * </pre>
 */
@Extension
public final class AuthFilterFactory implements ProxyFilterFactory<AuthConfig> {

    @Override
    public String type() {
        return "auth";
    }

    @Override
    public AuthConfig parseConfig(PluginConfig config) {
        return AuthConfig.parse(config);
    }

    @Override
    public ProxyFilter create(AuthConfig config, FilterContext context) {
        Challenges challenges = new Challenges(config.realm());
        List<Mechanism> mechanisms = new ArrayList<>();
        try {
            config.apiKey().ifPresent(s -> mechanisms.add(new ApiKeyMechanism(s, challenges, context)));
            config.basic().ifPresent(s -> mechanisms.add(new BasicMechanism(s, challenges, context)));
            config.jwt().ifPresent(s -> mechanisms.add(new JwtMechanism(s, challenges, context)));
            config.forward().ifPresent(s -> mechanisms.add(new ForwardMechanism(s, context)));
        } catch (RuntimeException e) {
            mechanisms.forEach(Mechanism::close);
            throw e;
        }
        return new AuthFilter(config, mechanisms, challenges);
    }

    @Override
    public References references(AuthConfig config) {
        References.Builder builder = References.builder();
        List<AccessRule> rules = config.access().rules();
        for (int i = config.access().accessOffset(); i < rules.size(); i++) {
            List<String> routes = rules.get(i).routes();
            int index = i - config.access().accessOffset();
            for (int j = 0; j < routes.size(); j++) {
                builder.refersTo(References.Kind.ROUTE, routes.get(j), "access[" + index + "].route[" + j + "]");
            }
        }
        return builder.build();
    }
}
