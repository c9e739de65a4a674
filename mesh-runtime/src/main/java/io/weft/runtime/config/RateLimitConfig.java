package io.weft.runtime.config;

/** Local rate limit of a route in this process: requests over the rate get 429 without being sent. */
public record RateLimitConfig(Double requestsPerSecond) {
}
