package io.weft.control.auth;

/**
 * Who is calling: the service its token belongs to, the admin (who writes config and nothing else), or anyone
 * when authentication is off.
 */
public final class Caller {

    private static final Caller ANYONE = new Caller(null, true);
    private static final Caller ADMIN = new Caller(null, true);

    private final String service;
    private final boolean admin;

    private Caller(String service, boolean admin) {
        this.service = service;
        this.admin = admin;
    }

    public static Caller service(String service) {
        return new Caller(service, false);
    }

    public static Caller anyone() {
        return ANYONE;
    }

    public static Caller admin() {
        return ADMIN;
    }

    /** True if this caller may read or change what belongs to {@code service}; the admin token may not. */
    public boolean mayActFor(String service) {
        return this == ANYONE || this.service != null && this.service.equals(service);
    }

    /** True if this caller may write config through the admin API. */
    public boolean isAdmin() {
        return admin;
    }

    @Override
    public String toString() {
        return this == ANYONE ? "anyone" : this == ADMIN ? "admin" : service;
    }
}
