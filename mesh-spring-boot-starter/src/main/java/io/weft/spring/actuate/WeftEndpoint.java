package io.weft.spring.actuate;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.admin.AdminViews;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.control.ConfigStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code weft} Actuator endpoint: the runtime's state, as the admin port shows it.
 * <ul>
 *   <li>{@code /actuator/weft}: where the config came from and how fresh it is, and every service's endpoints</li>
 *   <li>{@code /actuator/weft/config}: the config in force, as the engine compiled it</li>
 *   <li>{@code /actuator/weft/clusters}: endpoints with health, ejection, breaker state and requests in flight</li>
 *   <li>{@code /actuator/weft/explain?url=http://orders/api&method=GET&header=x-beta:true}: how a request would be
 *       routed, and why not to the other endpoints</li>
 * </ul>
 * Documents are turned into plain maps and lists, so whatever JSON library Actuator uses writes them.
 */
@Endpoint(id = "weft")
public class WeftEndpoint {

    private final WeftRuntime runtime;
    private final AdminViews views;
    private final Supplier<String> instanceId;

    /** {@code instanceId} gives the id this app registered under, or null. */
    public WeftEndpoint(WeftRuntime runtime, Supplier<String> instanceId) {
        this.runtime = runtime;
        this.views = new AdminViews(runtime);
        this.instanceId = instanceId;
    }

    @ReadOperation
    public Map<String, Object> weft() {
        Map<String, Object> overview = new LinkedHashMap<>();
        overview.put("config", status());
        overview.put("instanceId", instanceId.get());
        overview.put("clusters", plain(views.clusters()));
        return overview;
    }

    /** {@code config}, {@code clusters} or {@code explain} (with {@code url}, {@code method}, {@code header}). */
    @ReadOperation
    public Object part(@Selector String part, @Nullable String url, @Nullable String method,
                       @Nullable List<String> header) {
        return switch (part) {
            case "config" -> plain(views.configDump());
            case "clusters" -> plain(views.clusters());
            case "explain" -> explain(url, method, header);
            default -> Map.of("error", "no such part: " + part + " (config, clusters, explain)");
        };
    }

    private Object explain(String url, String method, List<String> headers) {
        ExplainQuery query;
        try {
            query = ExplainQuery.parse(url, method, headers);
        } catch (IllegalArgumentException e) {
            return Map.of("error", e.getMessage());
        }
        return plain(AdminViews.explanation(runtime.engine().explain(query.host(), query)));
    }

    private Map<String, Object> status() {
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) plain(views.configDump().get("status"));
        ConfigStatus s = runtime.configStatus();
        Duration age = s.age();
        status.put("ageSeconds", age == null ? null : age.toSeconds());
        status.put("generation", runtime.engine().snapshot().generation());
        return status;
    }

    private static Object plain(JsonNode node) {
        return ConfigMapper.json().convertValue(node, Object.class);
    }
}
