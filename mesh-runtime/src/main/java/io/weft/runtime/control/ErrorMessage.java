package io.weft.runtime.control;

/** The body of every 4xx/5xx answer of the control plane. */
public record ErrorMessage(String error) {
}
