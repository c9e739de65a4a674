package io.weft.runtime.reliability;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a backend's death cost the client, from the load's results, the mesh's attempts and the backends' receipts:
 * which requests failed and whether the death explains each, and which requests ran twice and who sent them twice.
 */
final class DeathCost {

    private final MeshedScene scene;
    private final ControlledBackend victim;
    private final LoadResults results;
    private final Executions executions;
    private final Set<String> failed;
    private final long killed;

    DeathCost(MeshedScene scene, ControlledBackend victim, LoadResults results, long killed) {
        this.scene = scene;
        this.victim = victim;
        this.results = results;
        this.executions = new Executions(scene.backends());
        this.failed = results.failed().stream().map(LoadResults.Result::id).collect(Collectors.toSet());
        this.killed = killed;
    }

    Set<String> failed() {
        return failed;
    }

    /**
     * Failed requests whose attempt on the victim failed: those inside it when it died, and those sent on a connection
     * to it pooled before its death (OkHttp finds such a connection dead only by using it).
     */
    Set<String> caughtByTheDeath() {
        return scene.attempts().stream().filter(a -> a.port() == victim.port() && a.failed() && failed.contains(a.id()))
                .map(AttemptLog.Attempt::id).collect(Collectors.toSet());
    }

    /** POSTs that ran twice because the mesh sent them again: a second mesh attempt, or runs on two endpoints. */
    Set<String> postsRunTwiceByTheMesh() {
        return executions.executedMoreThanOnce("POST").keySet().stream().filter(this::sentAgainByTheMesh)
                .collect(Collectors.toSet());
    }

    void report(Report report) {
        report.line("succeeded", results.succeeded() + " (" + String.format(Locale.ROOT, "%.3f %%",
                results.successPercent()) + ")");
        report.line("failures", results.failureKinds());
        report.line("failed requests whose attempt on the victim failed", caughtByTheDeath().size()
                + ", of them started before the kill: " + failed.stream().filter(this::startedOnTheVictimBeforeTheKill).count());
        report.line("failed requests the victim executed", executions.executed(failed).size());
        Map<String, Integer> postsTwice = executions.executedMoreThanOnce("POST");
        // OkHttp (retryOnConnectionFailure, on by default) resends a request on another pooled connection to the same
        // endpoint when the first one breaks; a POST the dying endpoint had read can run twice there, below the mesh.
        report.line("POSTs executed twice", postsTwice.size() + " (sent again by the mesh: " + postsRunTwiceByTheMesh().size()
                + "; by OkHttp's own retry to the same endpoint: " + (postsTwice.size() - postsRunTwiceByTheMesh().size()) + ")");
        postsTwice.keySet().forEach(id -> report.line("POST executed twice", id + " ran " + executions.receipts(id).stream()
                .map(r -> r.backend() + " at kill + " + Report.millis(r.nanos() - killed)).toList() + "; mesh attempts "
                + attemptsOf(id).stream().map(a -> a.port() + (a.failed() ? " failed" : " ok") + " at kill + "
                + Report.millis(a.nanos() - killed)).toList()));
        report.line("GETs executed twice (retried after a reset, or by OkHttp)", executions.executedMoreThanOnce("GET").size());
    }

    private boolean sentAgainByTheMesh(String id) {
        return attemptsOf(id).size() > 1
                || executions.receipts(id).stream().map(ControlledBackend.Receipt::backend).distinct().count() > 1;
    }

    private boolean startedOnTheVictimBeforeTheKill(String id) {
        return attemptsOf(id).stream().anyMatch(a -> a.port() == victim.port() && a.nanos() < killed);
    }

    private List<AttemptLog.Attempt> attemptsOf(String id) {
        return scene.attempts().stream().filter(a -> id.equals(a.id())).toList();
    }
}
