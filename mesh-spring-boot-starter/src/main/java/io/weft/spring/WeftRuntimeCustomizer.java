package io.weft.spring;

import io.weft.runtime.WeftRuntime;

/**
 * Changes the runtime's builder before the starter builds it: declare a bean of this type to add discovery
 * sources, call listeners or anything else {@link WeftRuntime.Builder} offers. The starter's own metrics and
 * tracing are customizers too.
 */
@FunctionalInterface
public interface WeftRuntimeCustomizer {

    void customize(WeftRuntime.Builder builder);
}
