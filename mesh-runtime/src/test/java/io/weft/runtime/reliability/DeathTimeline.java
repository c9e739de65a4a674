package io.weft.runtime.reliability;

import java.util.List;

/**
 * When traffic to a killed endpoint stopped and when it came back after the restart, from the attempts the client
 * made, the engine's ejections and the backend's own receipts.
 */
final class DeathTimeline {

    private final List<AttemptLog.Attempt> whileDead;
    private final List<MeshedScene.Ejection> ejections;
    private final List<ControlledBackend.Receipt> afterRestart;
    private final long killed;
    private final long restarted;

    DeathTimeline(MeshedScene scene, ControlledBackend victim, long killed, long restarted) {
        this.killed = killed;
        this.restarted = restarted;
        this.whileDead = scene.attempts().stream()
                .filter(a -> a.port() == victim.port() && a.nanos() >= killed && a.nanos() < restarted).toList();
        this.ejections = scene.ejections().stream().filter(e -> e.port() == victim.port()).toList();
        this.afterRestart = victim.receipts().stream().filter(r -> r.nanos() >= restarted).toList();
    }

    void report(Report report) {
        report.line("attempts to the dead endpoint", whileDead.size() + " (" + whileDead.stream()
                .filter(AttemptLog.Attempt::failed).count() + " failed)");
        for (MeshedScene.Ejection e : ejections) {
            report.line("ejection event", (e.returned() ? "returned to rotation" : "ejected for " + e.forMillis() + " ms")
                    + " at kill + " + Report.millis(e.nanos() - killed));
        }
        ejections.stream().filter(e -> !e.returned()).findFirst().ifPresent(first -> {
            // Attempts already on their way when the ejection happened still land; anything later is a new turn.
            long window = first.nanos() + first.forMillis() * 500_000L;
            whileDead.stream().mapToLong(AttemptLog.Attempt::nanos).filter(t -> t < window).max()
                    .ifPresent(t -> report.line("dead endpoint stops getting attempts", "kill + " + Report.millis(t - killed)));
        });
        afterRestart.stream().mapToLong(ControlledBackend.Receipt::nanos).min()
                .ifPresent(t -> report.line("restarted endpoint gets traffic again", "restart + " + Report.millis(t - restarted)));
    }
}
