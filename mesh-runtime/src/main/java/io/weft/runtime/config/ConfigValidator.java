package io.weft.runtime.config;

import io.weft.api.LoadBalancerProvider;
import io.weft.api.ServiceName;
import io.weft.runtime.lb.LoadBalancers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the meaning of a parsed service config (the parser has already checked its shape): every reference
 * resolves, every number is in range, every regex compiles. Reports all problems, not just the first.
 */
public final class ConfigValidator {

    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9a-zA-Z-]+");
    private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");
    /** Retry conditions by name; status codes are accepted too. */
    public static final Set<String> RETRY_CONDITIONS =
            Set.of("connect-failure", "reset", "timeout", "5xx", "gateway-error", "retriable-4xx");

    private final LoadBalancers balancers;

    public ConfigValidator(LoadBalancers balancers) {
        this.balancers = balancers;
    }

    public ConfigValidator() {
        this(LoadBalancers.builtInOnly());
    }

    /** A problem at a field path such as {@code routes[0].to[1].subset}. */
    public record Problem(String path, String message) {
    }

    public List<Problem> validate(ServiceConfig s) {
        Problems p = new Problems();
        if (s.service() == null) {
            p.add("service", "is required: the name callers use, as in http://<service>/");
        } else if (!ServiceName.isValid(s.service())) {
            p.add("service", "'" + s.service() + "' is not a valid service name (lowercase letters, digits, '-', '.')");
        }
        validateEndpoints(s, p);
        s.subsets().forEach((name, labels) -> {
            if (name.isEmpty()) {
                p.add("subsets", "a subset needs a name");
            }
            if (labels.isEmpty()) {
                p.add("subsets." + name, "selects endpoints by labels, e.g. { version: v1 }; none given");
            }
        });
        Set<String> routeNames = new HashSet<>();
        for (int i = 0; i < s.routes().size(); i++) {
            RouteConfig r = s.routes().get(i);
            String at = "routes[" + i + "]";
            if (r == null) {
                p.add(at, "is empty");
                continue;
            }
            if (r.name() != null && !routeNames.add(r.name())) {
                p.add(at + ".name", "route name '" + r.name() + "' is used twice");
            }
            validateRoute(r, at, s.subsets().keySet(), p);
        }
        validatePolicy(s.policy(), "policy", p);
        for (int i = 0; i < s.authorization().size(); i++) {
            validateRule(s.authorization().get(i), "authorization[" + i + "]", p);
        }
        return p.list;
    }

    private static void validateEndpoints(ServiceConfig s, Problems p) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < s.endpoints().size(); i++) {
            EndpointConfig e = s.endpoints().get(i);
            String at = "endpoints[" + i + "]";
            if (e == null || e.address() == null) {
                p.add(at + ".address", "is required, as host:port");
                continue;
            }
            try {
                HostPort.parse(e.address());
            } catch (IllegalArgumentException ex) {
                p.add(at + ".address", ex.getMessage());
            }
            if (!seen.add(e.address())) {
                p.add(at + ".address", "endpoint " + e.address() + " is listed twice");
            }
            if (e.weight() < 1 || e.weight() > 1000) {
                p.add(at + ".weight", "weight " + e.weight() + " is outside 1..1000");
            }
        }
    }

    private static void validateRoute(RouteConfig r, String at, Set<String> subsets, Problems p) {
        MatchConfig m = r.match();
        if (m.path() != null) {
            validateMatch(m.path(), at + ".match.path", false, p);
            if (m.path().exact() != null && !m.path().exact().startsWith("/")) {
                p.add(at + ".match.path.exact", "a path starts with '/'");
            }
            if (m.path().prefix() != null && !m.path().prefix().startsWith("/")) {
                p.add(at + ".match.path.prefix", "a path prefix starts with '/'");
            }
        }
        for (int j = 0; j < m.methods().size(); j++) {
            String method = m.methods().get(j);
            if (method == null || !METHOD.matcher(method).matches()) {
                p.add(at + ".match.methods[" + j + "]", "'" + method + "' is not an HTTP method in upper case");
            }
        }
        for (Map.Entry<String, StringMatch> h : m.headers().entrySet()) {
            String hat = at + ".match.headers." + h.getKey();
            if (!HEADER_NAME.matcher(h.getKey()).matches()) {
                p.add(hat, "'" + h.getKey() + "' is not a valid header name");
            }
            if (h.getValue() == null) {
                p.add(hat, "needs one of exact, prefix, regex, present");
            } else {
                validateMatch(h.getValue(), hat, true, p);
            }
        }
        long total = 0;
        for (int j = 0; j < r.to().size(); j++) {
            DestinationConfig d = r.to().get(j);
            String dat = at + ".to[" + j + "]";
            if (d == null) {
                p.add(dat, "is empty");
                continue;
            }
            if (!d.subset().isEmpty() && !subsets.contains(d.subset())) {
                p.add(dat + ".subset", "unknown subset '" + d.subset() + "'"
                        + (subsets.isEmpty() ? "; this service defines no subsets" : " (subsets: " + String.join(", ", new java.util.TreeSet<>(subsets)) + ")"));
            }
            if (d.weight() < 0) {
                p.add(dat + ".weight", "weight " + d.weight() + " is negative");
            }
            total += Math.max(0, d.weight());
        }
        if (total == 0) {
            p.add(at + ".to", "the weights add up to 0: no request could be sent anywhere");
        }
        positive(r.timeout(), at + ".timeout", p);
        RetryConfig retry = r.retries();
        if (retry.attempts() < 0 || retry.attempts() > 10) {
            p.add(at + ".retries.attempts", "attempts " + retry.attempts() + " is outside 0..10");
        }
        for (int j = 0; j < retry.on().size(); j++) {
            String cond = retry.on().get(j);
            if (cond == null || !(RETRY_CONDITIONS.contains(cond) || STATUS.matcher(cond).matches()
                    || RetryConfig.GRPC_STATUS_CONDITIONS.containsKey(cond))) {
                java.util.Set<String> known = new java.util.TreeSet<>(RETRY_CONDITIONS);
                known.addAll(RetryConfig.GRPC_STATUS_CONDITIONS.keySet());
                p.add(at + ".retries.on[" + j + "]", "unknown retry condition '" + cond + "' (use a status code or one of "
                        + String.join(", ", known) + ")");
            }
        }
        positive(retry.perTryTimeout(), at + ".retries.perTryTimeout", p);
        positive(retry.backoff().base(), at + ".retries.backoff.base", p);
        positive(retry.backoff().max(), at + ".retries.backoff.max", p);
        if (retry.backoff().max().compareTo(retry.backoff().base()) < 0) {
            p.add(at + ".retries.backoff.max", "is shorter than backoff.base");
        }
        if (r.fault() != null) {
            if (r.fault().delay() == null && r.fault().abort() == null) {
                p.add(at + ".fault", "needs a delay or an abort");
            }
            if (r.fault().delay() != null) {
                percent(r.fault().delay().percent(), at + ".fault.delay.percent", p);
                if (r.fault().delay().duration() == null) {
                    p.add(at + ".fault.delay.duration", "is required, e.g. 100ms");
                }
                positive(r.fault().delay().duration(), at + ".fault.delay.duration", p);
            }
            if (r.fault().abort() != null) {
                percent(r.fault().abort().percent(), at + ".fault.abort.percent", p);
                int status = r.fault().abort().status();
                if (status < 200 || status > 599) {
                    p.add(at + ".fault.abort.status", "status " + status + " is outside 200..599");
                }
            }
        }
        if (r.rateLimit() != null) {
            Double rps = r.rateLimit().requestsPerSecond();
            if (rps == null || !(rps > 0) || rps > 1e9) {
                p.add(at + ".rateLimit.requestsPerSecond", "must be a number above 0, got " + rps);
            }
        }
    }

    private static void validateMatch(StringMatch m, String at, boolean header, Problems p) {
        int n = m.conditionCount();
        String allowed = header ? "exact, prefix, regex or present" : "exact, prefix or regex";
        if (n != 1) {
            p.add(at, "needs exactly one of " + allowed + ", got " + n);
        }
        if (!header && m.present() != null) {
            p.add(at + ".present", "applies to headers only");
        }
        if (m.regex() != null) {
            try {
                Pattern.compile(m.regex());
            } catch (PatternSyntaxException e) {
                p.add(at + ".regex", "'" + m.regex() + "' is not a valid regex: " + e.getDescription());
            }
        }
    }

    private void validatePolicy(PolicyConfig policy, String at, Problems p) {
        LoadBalancerConfig lb = policy.loadBalancer();
        LoadBalancerProvider provider = lb.type() == null ? null : balancers.get(lb.type());
        if (provider == null) {
            p.add(at + ".loadBalancer", "unknown load balancer '" + lb.type() + "' (known: "
                    + String.join(", ", balancers.names()) + ")");
        } else {
            try {
                provider.validate(lb.options());
            } catch (IllegalArgumentException e) {
                p.add(at + ".loadBalancer", e.getMessage());
            }
        }
        CircuitBreakerConfig cb = policy.circuitBreaker();
        if (cb != null) {
            percentAbove0(cb.failureRatePercent(), at + ".circuitBreaker.failureRatePercent", p);
            percentAbove0(cb.slowCallRatePercent(), at + ".circuitBreaker.slowCallRatePercent", p);
            positive(cb.slowCallDuration(), at + ".circuitBreaker.slowCallDuration", p);
            positive(cb.openFor(), at + ".circuitBreaker.openFor", p);
            if (cb.minimumCalls() < 1) {
                p.add(at + ".circuitBreaker.minimumCalls", "must be at least 1");
            }
            if (cb.windowSize() < cb.minimumCalls()) {
                p.add(at + ".circuitBreaker.windowSize", "must be at least minimumCalls (" + cb.minimumCalls() + ")");
            }
            if (cb.halfOpenCalls() < 1) {
                p.add(at + ".circuitBreaker.halfOpenCalls", "must be at least 1");
            }
        }
        OutlierDetectionConfig od = policy.outlierDetection();
        if (od.consecutiveErrors() < 1) {
            p.add(at + ".outlierDetection.consecutiveErrors", "must be at least 1");
        }
        positive(od.baseEjectionTime(), at + ".outlierDetection.baseEjectionTime", p);
        if (od.maxEjectionTime().compareTo(od.baseEjectionTime()) < 0) {
            p.add(at + ".outlierDetection.maxEjectionTime", "is shorter than baseEjectionTime");
        }
        percent(od.maxEjectionPercent(), at + ".outlierDetection.maxEjectionPercent", p);
        RetryBudgetConfig rb = policy.retryBudget();
        if (rb.percent() < 0 || rb.percent() > 1000) {
            p.add(at + ".retryBudget.percent", "percent " + rb.percent() + " is outside 0..1000");
        }
        if (rb.minPerSecond() < 0) {
            p.add(at + ".retryBudget.minPerSecond", "must not be negative");
        }
        if (rb.window().compareTo(Duration.ofSeconds(1)) < 0 || rb.window().compareTo(Duration.ofMinutes(10)) > 0) {
            p.add(at + ".retryBudget.window", "must be between 1s and 10m");
        }
        HealthCheckConfig hc = policy.healthCheck();
        if (hc != null) {
            if (!hc.path().startsWith("/")) {
                p.add(at + ".healthCheck.path", "a path starts with '/'");
            }
            positive(hc.interval(), at + ".healthCheck.interval", p);
            positive(hc.timeout(), at + ".healthCheck.timeout", p);
            if (hc.unhealthyThreshold() < 1) {
                p.add(at + ".healthCheck.unhealthyThreshold", "must be at least 1");
            }
            if (hc.healthyThreshold() < 1) {
                p.add(at + ".healthCheck.healthyThreshold", "must be at least 1");
            }
        }
        if (policy.connectionPool().maxRequests() < 1) {
            p.add(at + ".connectionPool.maxRequests", "must be at least 1");
        }
    }

    private static void validateRule(AuthorizationRule rule, String at, Problems p) {
        if (rule == null) {
            p.add(at, "is empty");
            return;
        }
        if ((rule.allow() == null) == (rule.deny() == null)) {
            p.add(at, "needs exactly one of allow or deny");
            return;
        }
        AuthorizationMatch m = rule.allow() != null ? rule.allow() : rule.deny();
        String where = at + (rule.allow() != null ? ".allow" : ".deny");
        for (String from : m.from()) {
            String id = from != null && from.endsWith("*") ? from.substring(0, from.length() - 1) : from;
            boolean ok = "*".equals(from) || id != null && (from.endsWith("*")
                    ? id.startsWith(io.weft.runtime.security.SpiffeId.SCHEME_PREFIX) && id.indexOf('*') < 0
                    : io.weft.runtime.security.SpiffeId.isValid(id));
            if (!ok) {
                p.add(where + ".from", "'" + from + "' is not a SPIFFE ID (spiffe://<trust-domain>/ns/<ns>/sa/<service>),"
                        + " a prefix of one ending in '*', or '*'");
            }
        }
        for (String path : m.paths()) {
            boolean ok = "*".equals(path) || path != null && path.startsWith("/")
                    && (path.indexOf('*') < 0 || path.indexOf('*') == path.length() - 1);
            if (!ok) {
                p.add(where + ".paths", "'" + path + "' is not a path: '/exact', '/prefix/*' or '*'");
            }
        }
        for (String method : m.methods()) {
            if (method == null || !METHOD.matcher(method).matches()) {
                p.add(where + ".methods", "'" + method + "' is not an HTTP method in capitals, such as GET");
            }
        }
    }

    private static void positive(Duration d, String at, Problems p) {
        if (d != null && (d.isNegative() || d.isZero())) {
            p.add(at, "must be longer than 0");
        }
    }

    private static void percent(Double v, String at, Problems p) {
        if (v == null || v < 0 || v > 100) {
            p.add(at, "percent " + v + " is outside 0..100");
        }
    }

    private static void percentAbove0(Double v, String at, Problems p) {
        if (v == null || v <= 0 || v > 100) {
            p.add(at, "percent " + v + " is outside (0, 100]");
        }
    }

    private static final class Problems {
        final List<Problem> list = new ArrayList<>();

        void add(String path, String message) {
            list.add(new Problem(path, message));
        }
    }
}
