package io.weft.runtime.control;

/**
 * The answer to a registration: the instance's id for heartbeats and deregistration, and how long it lives
 * without a heartbeat.
 */
public record RegistrationResponse(String id, long ttlSeconds) {
}
