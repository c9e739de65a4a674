package io.weft.runtime.reliability;

import java.util.List;
import java.util.OptionalLong;

/**
 * How fast the mesh reacted to one endpoint's death and restart, from what its engine did ({@link EngineActivity})
 * and when the restarted endpoint served again (its own clock of arrivals): when the dead endpoint stopped getting
 * attempts, and when the restarted one got traffic again.
 */
final class RecoveryTimes {

    private final List<EngineActivity.Attempt> whileDead;
    private final List<EngineActivity.Ejection> ejections;
    private final long killed;
    private final long restarted;
    private final OptionalLong servedAgain;

    /**
     * @param port      the victim's port
     * @param arrivals  {@link System#nanoTime()} of every request the victim received, across its lives
     */
    RecoveryTimes(EngineActivity activity, int port, List<Long> arrivals, long killed, long restarted) {
        this.killed = killed;
        this.restarted = restarted;
        this.whileDead = activity.attempts().stream()
                .filter(a -> a.port() == port && a.nanos() >= killed && a.nanos() < restarted).toList();
        this.ejections = activity.ejections().stream().filter(e -> e.port() == port).toList();
        this.servedAgain = arrivals.stream().mapToLong(Long::longValue).filter(t -> t >= restarted).min();
    }

    /**
     * The start of the last attempt to the dead endpoint before it was first ejected, after the kill; the attempts
     * after that are the probes of an expired ejection, one round each.
     */
    OptionalLong stoppedAfterNanos() {
        long firstEjection = ejections.stream().filter(e -> !e.returned() && e.nanos() >= killed)
                .mapToLong(EngineActivity.Ejection::nanos).min().orElse(restarted);
        return whileDead.stream().mapToLong(EngineActivity.Attempt::nanos).filter(t -> t <= firstEjection).max()
                .stream().map(t -> t - killed).findFirst();
    }

    /** How long after the restart the endpoint served a request again. */
    OptionalLong backAfterNanos() {
        return servedAgain.stream().map(t -> t - restarted).findFirst();
    }

    void report(Report report) {
        report.line("attempts to the dead endpoint", whileDead.size() + " (" + whileDead.stream()
                .filter(EngineActivity.Attempt::failed).count() + " failed)");
        ejections.stream().filter(e -> e.nanos() >= killed).forEach(e -> report.line("ejection event",
                (e.returned() ? "returned to rotation" : "ejected for " + e.forMillis() + " ms")
                        + " at kill + " + Report.millis(e.nanos() - killed)));
        stoppedAfterNanos().ifPresent(t -> report.line("dead endpoint stops getting attempts", "kill + " + Report.millis(t)));
        report.line("restarted endpoint gets traffic again", backAfterNanos().isPresent()
                ? "restart + " + Report.millis(backAfterNanos().getAsLong()) : "not within the run");
    }
}
