package io.weft.control.auth;

/** Who is calling: the service its token belongs to, or anyone when authentication is off. */
public final class Caller {

    private static final Caller ANYONE = new Caller(null);

    private final String service;

    private Caller(String service) {
        this.service = service;
    }

    public static Caller service(String service) {
        return new Caller(service);
    }

    public static Caller anyone() {
        return ANYONE;
    }

    /** True if this caller may read or change what belongs to {@code service}. */
    public boolean mayActFor(String service) {
        return this.service == null || this.service.equals(service);
    }

    @Override
    public String toString() {
        return service == null ? "anyone" : service;
    }
}
