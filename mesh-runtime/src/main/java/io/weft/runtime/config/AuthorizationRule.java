package io.weft.runtime.config;

/**
 * One rule of a service's {@code authorization} list (Istio: an AuthorizationPolicy's rule): exactly one of
 * {@code allow} or {@code deny}. A request a deny rule matches is refused; when the service has allow rules, a
 * request none of them matches is refused too (default deny); a service without rules takes every caller its
 * TLS mode lets in.
 *
 * <pre>
 * authorization:
 *   - name: frontend-reads
 *     allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ], methods: [ GET ] }
 *   - deny: { paths: [ "/admin/*" ] }
 * </pre>
 *
 * @param name optional, for logs and metrics; {@code allow[i]}/{@code deny[i]} by position otherwise
 */
public record AuthorizationRule(String name, AuthorizationMatch allow, AuthorizationMatch deny) {
}
